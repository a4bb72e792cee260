#pragma once
// A dispatcher on a temporary SQLite store, a ManualClock, and real local
// receivers: the fixture of the dispatcher tests.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "delivery/dispatcher.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/store_test_support.hpp"
#include "sdk_check.hpp"
#include "test_receiver.hpp"

namespace hookline::testing {

class DispatcherTest : public ::testing::Test {
 protected:
  static constexpr const char* kPlatform = "acct_platform";

  DispatcherTest() : store_(open_sqlite_store(dir_.file("hookline.db"))) {
    Account platform = make_account(kPlatform, AccountType::kPlatform);
    store_->put_account(platform);
    options_.jitter = 0.0;
    options_.attempt_timeout_ms = 5'000;
  }

  ~DispatcherTest() override { dispatcher_.reset(); }

  // An endpoint of the platform, in `livemode`, at `url`.
  WebhookEndpoint add_endpoint(const std::string& id, const std::string& url, bool livemode) {
    WebhookEndpoint endpoint = make_endpoint(id, kPlatform, false, livemode);
    endpoint.url = url;
    store_->put_endpoint(endpoint);
    return endpoint;
  }

  // A realistic event (one that construct_event accepts), committed with one
  // delivery per endpoint, due at `due_ms` (default: now).
  std::string publish(const std::vector<std::string>& endpoint_ids, bool livemode = false,
                      std::optional<int64_t> due_ms = std::nullopt) {
    const std::string id = "evt_" + std::to_string(++event_count_);
    NewEvent item = make_event(id, kPlatform, clock_.now_seconds(), endpoint_ids,
                               "payment_intent.succeeded", livemode,
                               due_ms.value_or(clock_.now_ms()));
    item.event.body = R"({"id":")" + id +
                      R"(","object":"event","api_version":"2026-10-28.endive","created":)" +
                      std::to_string(clock_.now_seconds()) +
                      R"(,"data":{"object":{"id":"pi_1","object":"payment_intent","amount":2000}},"livemode":)" +
                      (livemode ? "true" : "false") + R"(,"pending_webhooks":)" +
                      std::to_string(endpoint_ids.size()) +
                      R"(,"request":{"id":null,"idempotency_key":null},"type":"payment_intent.succeeded"})";
    store_->insert_events({item});
    return id;
  }

  void start(ListenHub* hub = nullptr) {
    dispatcher_ = std::make_unique<Dispatcher>(*store_, clock_, options_, hub, &metrics_);
    dispatcher_->start();
  }

  // Moves the clock and tells the dispatcher.
  void advance(int64_t ms) {
    clock_.advance_ms(ms);
    dispatcher_->wake();
  }

  // Polls (real time) until `condition` holds; false on timeout.
  static bool eventually(const std::function<bool()>& condition,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
  }

  // Waits (real time) until the dispatcher has claimed from the store twice
  // more: one of those claims began after this call, at the clock's time now,
  // so whatever was due by then has been leased. Instead of sleeping and
  // hoping the dispatcher had its chance.
  bool claimed_twice_more() {
    const uint64_t before = dispatcher_->claim_passes();
    dispatcher_->wake();
    return eventually([&] { return dispatcher_->claim_passes() >= before + 2; });
  }

  // Many events at once (one transaction), each to `endpoint_ids`, due now.
  std::vector<std::string> publish_many(int count, const std::vector<std::string>& endpoint_ids) {
    std::vector<NewEvent> items;
    std::vector<std::string> ids;
    for (int i = 0; i < count; ++i) {
      const std::string id = "evt_" + std::to_string(++event_count_);
      items.push_back(make_event(id, kPlatform, clock_.now_seconds(), endpoint_ids,
                                 "payment_intent.succeeded", false, clock_.now_ms()));
      ids.push_back(id);
    }
    store_->insert_events(items);
    return ids;
  }

  // The single automatic delivery of an event to an endpoint.
  Delivery delivery_of(const std::string& event_id, const std::string& endpoint_id,
                       bool manual = false) {
    for (const Delivery& delivery : store_->list_deliveries(event_id)) {
      if (delivery.endpoint_id == endpoint_id && delivery.manual == manual) return delivery;
    }
    ADD_FAILURE() << "no delivery of " << event_id << " to " << endpoint_id;
    return {};
  }

  // Waits until the delivery has had `count` attempts recorded.
  bool attempts_reach(const std::string& event_id, const std::string& endpoint_id, int count,
                      bool manual = false) {
    return eventually(
        [&] { return delivery_of(event_id, endpoint_id, manual).attempt_count >= count; });
  }

  bool state_is(const std::string& event_id, const std::string& endpoint_id, DeliveryState state,
                bool manual = false) {
    return eventually([&] { return delivery_of(event_id, endpoint_id, manual).state == state; });
  }

  std::vector<Attempt> attempts_of(const std::string& event_id) {
    PageRequest page;
    page.limit = 100;
    std::vector<Attempt> attempts = store_->list_attempts_for_event(event_id, page).items;
    std::reverse(attempts.begin(), attempts.end());  // oldest first
    return attempts;
  }

  // The signature header's timestamp.
  static int64_t timestamp_of(const std::string& header) {
    return std::stoll(header.substr(2, header.find(',') - 2));
  }


  TempDir dir_;
  ManualClock clock_;
  Metrics metrics_;
  std::unique_ptr<Store> store_;
  DispatcherOptions options_;
  TestReceiver receiver_;
  std::unique_ptr<Dispatcher> dispatcher_;  // last: stopped first
  int event_count_ = 0;
};

}  // namespace hookline::testing
