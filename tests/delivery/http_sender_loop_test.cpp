// The sender on its owner's loop (curl_multi_socket_action on epoll): many
// requests to many endpoints from one thread, a timeout among fast answers,
// connections reused, requests started from a result, and the wake fd.
#include <gtest/gtest.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "delivery/http_sender.hpp"
#include "delivery/sender_driver.hpp"
#include "test_receiver.hpp"

namespace hookline::delivery {
namespace {

using delivery::testing::request_to;
using delivery::testing::SenderDriver;
using hookline::testing::Reply;
using hookline::testing::TestReceiver;
using namespace std::chrono_literals;

TEST(HttpSenderLoopTest, ManyConcurrentSendsToManyEndpointsAllArriveOnce) {
  constexpr int kEndpoints = 12;
  constexpr int kPerEndpoint = 40;
  std::vector<std::unique_ptr<TestReceiver>> receivers;
  for (int i = 0; i < kEndpoints; ++i) receivers.push_back(std::make_unique<TestReceiver>());
  SenderDriver sender;
  for (int n = 0; n < kPerEndpoint; ++n) {
    for (int i = 0; i < kEndpoints; ++i) {
      sender.send(request_to(receivers[i]->url("/e"),
                             R"({"endpoint":)" + std::to_string(i) + R"(,"n":)" +
                                 std::to_string(n) + "}"));
    }
  }
  EXPECT_EQ(sender.sender().in_flight(), static_cast<std::size_t>(kEndpoints * kPerEndpoint));
  ASSERT_TRUE(sender.drain());
  ASSERT_EQ(sender.results().size(), static_cast<std::size_t>(kEndpoints * kPerEndpoint));
  for (const auto& [tag, result] : sender.results()) {
    EXPECT_EQ(result.http_status, 200) << result.error;
  }
  for (int i = 0; i < kEndpoints; ++i) {
    const auto requests = receivers[i]->requests("/e");
    ASSERT_EQ(requests.size(), static_cast<std::size_t>(kPerEndpoint));
    std::vector<std::string> bodies;
    for (const auto& request : requests) bodies.push_back(request.body);
    std::sort(bodies.begin(), bodies.end());
    EXPECT_EQ(std::unique(bodies.begin(), bodies.end()), bodies.end()) << "a body twice";
    for (const std::string& body : bodies) {
      EXPECT_EQ(body.find(R"({"endpoint":)" + std::to_string(i) + ","), 0u) << body;
    }
  }
}

TEST(HttpSenderLoopTest, ATimeoutAmongFastAnswersEndsOnlyThatRequest) {
  TestReceiver receiver;
  receiver.script("/silent", Reply::never_answer());
  SenderDriver sender;
  SendRequest silent = request_to(receiver.url("/silent"));
  silent.timeout_ms = 400;
  const uint64_t silent_tag = sender.send(std::move(silent));
  std::vector<uint64_t> fast;
  for (int i = 0; i < 60; ++i) fast.push_back(sender.send(request_to(receiver.url("/fast"))));
  const SendResult timed_out = sender.wait(silent_tag);
  EXPECT_EQ(timed_out.http_status, 0);
  EXPECT_EQ(timed_out.error, "timeout");
  EXPECT_GE(timed_out.latency_us, 390'000);  // not before its timeout
  // Order, not speed: every fast answer was reported before the timeout.
  const auto& order = sender.order();
  ASSERT_EQ(order.size(), fast.size() + 1);
  EXPECT_EQ(order.back(), silent_tag);
  for (uint64_t tag : fast) EXPECT_EQ(sender.results().at(tag).http_status, 200);
}

TEST(HttpSenderLoopTest, ConnectionsAreReusedAcrossConcurrentBatches) {
  TestReceiver receiver;
  HttpSenderOptions options;
  options.max_host_connections = 4;
  SenderDriver sender(options);
  for (int batch = 0; batch < 10; ++batch) {
    for (int i = 0; i < 4; ++i) sender.send(request_to(receiver.url("/r")));
    ASSERT_TRUE(sender.drain());
  }
  EXPECT_EQ(receiver.request_count("/r"), 40u);
  // Counted by the receiver: 40 requests over at most 4 kept-alive connections.
  EXPECT_LE(receiver.connection_count(), 4u);
  EXPECT_GE(receiver.connection_count(), 1u);
}

TEST(HttpSenderLoopTest, ARequestStartedFromAResultGoesOut) {
  TestReceiver receiver;
  SenderDriver sender;
  int chained = 0;
  sender.on_done([&](uint64_t) {
    if (chained < 9) {
      ++chained;
      // Filled in place, as the dispatcher does.
      SendRequest& next = sender.sender().next_request();
      next.url = receiver.url("/chain");
      next.body = "{\"n\":" + std::to_string(chained) + "}";
      next.signature = "t=2,v1=" + std::to_string(chained);
      next.timeout_ms = 5'000;
      sender.sender().start(100 + static_cast<uint64_t>(chained));
    }
  });
  EXPECT_EQ(sender.send_and_wait(request_to(receiver.url("/chain"))).http_status, 200);
  ASSERT_TRUE(sender.drain());
  EXPECT_EQ(sender.results().size(), 10u);
  const auto requests = receiver.requests("/chain");
  ASSERT_EQ(requests.size(), 10u);
  EXPECT_EQ(requests[9].body, "{\"n\":9}");
  EXPECT_EQ(requests[9].header("Stripe-Signature"), "t=2,v1=9");
  EXPECT_EQ(requests[9].header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(receiver.connection_count(), 1u);  // one after the other, on one connection
}

TEST(HttpSenderLoopTest, ARequestWithoutSignatureAfterOneWithIt) {
  // The header list is reused per easy handle: a signature must not linger.
  TestReceiver receiver;
  SenderDriver sender;
  ASSERT_EQ(sender.send_and_wait(request_to(receiver.url("/s"))).http_status, 200);
  SendRequest unsigned_request = request_to(receiver.url("/s"));
  unsigned_request.signature.clear();
  ASSERT_EQ(sender.send_and_wait(std::move(unsigned_request)).http_status, 200);
  const auto requests = receiver.requests("/s");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].header("Stripe-Signature"), "t=1,v1=abc");
  EXPECT_EQ(requests[1].header("Stripe-Signature"), "");
  EXPECT_EQ(requests[1].header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(requests[1].header("Expect"), "");
}

TEST(HttpSenderLoopTest, TheWakeFdEndsTheWait) {
  const int wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  ASSERT_GE(wake_fd, 0);
  {
    SenderDriver sender({}, wake_fd);
    EXPECT_FALSE(sender.sender().run_once(0));
    std::thread other([&] { eventfd_write(wake_fd, 1); });
    // Without the wake fd in its epoll set this would wait out the minute and say false.
    EXPECT_TRUE(sender.sender().run_once(60'000));
    other.join();
    EXPECT_FALSE(sender.sender().run_once(0));  // it was read: reset
  }
  close(wake_fd);
}

TEST(HttpSenderLoopTest, DestroyingTheSenderAbandonsWhatIsInFlight) {
  TestReceiver receiver;
  receiver.script("/held", Reply::never_answer());
  int reported = 0;
  {
    HttpSender sender({}, [&](uint64_t, SendResult) { ++reported; });
    for (int i = 0; i < 5; ++i) sender.send(request_to(receiver.url("/held")), i);
    for (int turn = 0; turn < 200 && receiver.request_count("/held") < 5; ++turn) {
      sender.run_once(10);
    }
    EXPECT_EQ(sender.in_flight(), 5u);
  }
  EXPECT_EQ(reported, 0);
}

}  // namespace
}  // namespace hookline::delivery
