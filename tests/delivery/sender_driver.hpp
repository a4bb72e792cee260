#pragma once
// Drives an HttpSender from the test's own thread, as the dispatcher's loop
// does: sends requests with tags and runs the loop until their results come.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "delivery/http_sender.hpp"

namespace hookline::delivery::testing {

inline SendRequest request_to(const std::string& url, std::string body = R"({"id":"evt_1"})") {
  SendRequest request;
  request.url = url;
  request.body = std::move(body);
  request.signature = "t=1,v1=abc";
  request.timeout_ms = 5'000;
  return request;
}

class SenderDriver {
 public:
  explicit SenderDriver(HttpSenderOptions options = {}, int wake_fd = -1)
      : sender_(
            std::move(options),
            [this](uint64_t tag, SendResult result) {
              order_.push_back(tag);
              EXPECT_EQ(results_.count(tag), 0u) << "tag " << tag << " reported twice";
              results_[tag] = std::move(result);
              if (on_done_) on_done_(tag);
            },
            wake_fd) {}

  HttpSender& sender() { return sender_; }

  uint64_t send(SendRequest request) {
    const uint64_t tag = next_tag_++;
    sender_.send(std::move(request), tag);
    return tag;
  }

  // Runs the loop until `tag` is reported (or 20 s of real time pass, a failure).
  SendResult wait(uint64_t tag) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (results_.count(tag) == 0 && std::chrono::steady_clock::now() < give_up) {
      sender_.run_once(100);
    }
    if (results_.count(tag) == 0) {
      ADD_FAILURE() << "no result within 20 s";
      return {};
    }
    return results_[tag];
  }

  SendResult send_and_wait(SendRequest request) { return wait(send(std::move(request))); }

  // Runs the loop until nothing is in flight; false if 20 s of real time pass.
  bool drain() {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (sender_.in_flight() > 0 && std::chrono::steady_clock::now() < give_up) {
      sender_.run_once(100);
    }
    return sender_.in_flight() == 0;
  }

  const std::map<uint64_t, SendResult>& results() const { return results_; }
  // Tags in the order their results were reported.
  const std::vector<uint64_t>& order() const { return order_; }
  // Called after each result is recorded (may send more).
  void on_done(std::function<void(uint64_t)> callback) { on_done_ = std::move(callback); }

 private:
  std::map<uint64_t, SendResult> results_;
  std::vector<uint64_t> order_;
  std::function<void(uint64_t)> on_done_;
  uint64_t next_tag_ = 1;
  HttpSender sender_;  // last: destroyed first, while the maps above still live
};

}  // namespace hookline::delivery::testing
