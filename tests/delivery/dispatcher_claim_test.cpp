// Issue 15 (h16d): claims run on their own thread (ClaimAhead), not on the
// loop that sends, so a claim waiting for the store holds back no attempt.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "dispatcher_fixture.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace hookline::testing {
namespace {

using namespace std::chrono_literals;

TEST_F(DispatcherTest, AClaimWaitingForTheStoreHoldsBackNoHandedOverDelivery) {
  const WebhookEndpoint a = add_endpoint("we_a", receiver_.url("/a"), false);
  // Not due for an hour: only the hand-over below brings it to the dispatcher.
  const std::string event_id = publish({"we_a"}, false, clock_.now_ms() + 3'600'000);
  DueDelivery due;
  due.delivery = delivery_of(event_id, "we_a");
  due.event_body = store_->get_event(event_id)->body;
  due.event_type = "payment_intent.succeeded";
  due.endpoint = a;
  start();
  ASSERT_TRUE(dispatcher_->reserve(1));

  {
    // Another connection holds the write lock: the next claim waits for it
    // (the busy timeout is 10 s), and so do the outcomes.
    sqlite::SqliteConnection other(dir_.file("hookline.db"));
    std::optional<sqlite::Transaction> lock;
    lock.emplace(other, sqlite::Durability::kNormal);
    dispatcher_->wake();
    // Time for the claim asked for by wake() to begin (and block); the check
    // below passes whatever this wait is.
    std::this_thread::sleep_for(300ms);
    std::vector<DueDelivery> handed;
    handed.push_back(due);
    dispatcher_->hand_over(std::move(handed), 1);
    // Sent while the claim is still waiting (a claim on the sending loop would
    // hold it back until the lock is released or the busy timeout ends).
    EXPECT_TRUE(eventually([&] { return receiver_.request_count("/a") == 1; }, 5s));
    lock.reset();  // ROLLBACK: the claim and the outcome go through
  }
  EXPECT_TRUE(state_is(event_id, "we_a", DeliveryState::kSucceeded));
  EXPECT_EQ(receiver_.request_count("/a"), 1u);
}


TEST_F(DispatcherTest, WhatAClaimUnderWayAtStopLeasesGoesBackDueNow) {
  add_endpoint("we_a", receiver_.url("/a"), false);
  const std::vector<std::string> ids = {publish({"we_a"}, false, clock_.now_ms() + 10'000),
                                        publish({"we_a"}, false, clock_.now_ms() + 10'000)};
  start();
  std::thread stopper;
  {
    sqlite::SqliteConnection other(dir_.file("hookline.db"));
    std::optional<sqlite::Transaction> lock;
    lock.emplace(other, sqlite::Durability::kNormal);
    advance(10'000);  // now due: the claim this asks for waits for the lock
    std::this_thread::sleep_for(300ms);
    stopper = std::thread([&] { dispatcher_->stop(); });
    std::this_thread::sleep_for(300ms);  // stop() has begun
    lock.reset();  // the claim leases both, after stop() began
  }
  stopper.join();
  EXPECT_EQ(receiver_.request_count("/a"), 0u);
  for (const std::string& id : ids) {
    const Delivery delivery = delivery_of(id, "we_a");
    EXPECT_EQ(delivery.state, DeliveryState::kPending);
    EXPECT_EQ(delivery.attempt_count, 0);
    // Due again at once, not when the claim's lease ends.
    EXPECT_LE(delivery.next_attempt_ms, clock_.now_ms()) << id;
  }
}

}  // namespace
}  // namespace hookline::testing
