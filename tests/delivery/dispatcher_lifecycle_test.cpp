// The dispatcher as a whole: resuming at start, stopping with attempts in
// flight, isolation from a dead endpoint, and many deliveries at once.
#include <gtest/gtest.h>

#include "dispatcher_fixture.hpp"
#include "store/group_commit.hpp"

namespace hookline::testing {
namespace {

using namespace std::chrono_literals;

TEST_F(DispatcherTest, DeliveriesHandedOverByTheGroupCommitAreAttemptedOnce) {
  const WebhookEndpoint a = add_endpoint("we_a", receiver_.url("/a"), false);
  const WebhookEndpoint b = add_endpoint("we_b", receiver_.url("/b"), false);
  start();
  {
    GroupCommitWriter writer(*store_, {}, dispatcher_.get());
    writer.write(make_event("evt_h", kPlatform, clock_.now_seconds(), {"we_a", "we_b"},
                            "payment_intent.succeeded", false, clock_.now_ms()),
                 {a, b});
    // Leased to the dispatcher in the same transaction: nobody else claims them.
    EXPECT_TRUE(store_->claim_due(clock_.now_ms(), clock_.now_ms() + 1, 10).empty());
  }
  ASSERT_TRUE(eventually([&] { return store_->get_event("evt_h")->pending_webhooks == 0; }));
  EXPECT_EQ(delivery_of("evt_h", "we_a").state, DeliveryState::kSucceeded);
  EXPECT_EQ(delivery_of("evt_h", "we_b").attempt_count, 1);
  EXPECT_EQ(receiver_.request_count("/a"), 1u);
  EXPECT_EQ(receiver_.request_count("/b"), 1u);
  EXPECT_EQ(store_->count_pending_deliveries(), 0);
}

TEST_F(DispatcherTest, RoomIsReservedOnlyWhileRunningAndWithinMaxInFlight) {
  options_.max_in_flight = 4;
  dispatcher_ = std::make_unique<Dispatcher>(*store_, clock_, options_, nullptr, &metrics_);
  EXPECT_FALSE(dispatcher_->reserve(1));  // not started
  dispatcher_->start();
  // A claim under way sets its room aside until its batch is taken (the one at
  // start, then one per idle recheck), so room is granted once it has ended.
  std::optional<int64_t> lease;
  const auto reserved = [&](std::size_t count) {
    return eventually([&] { return (lease = dispatcher_->reserve(count)).has_value(); });
  };
  ASSERT_TRUE(reserved(3));
  EXPECT_GT(*lease, clock_.now_ms() + options_.attempt_timeout_ms);
  EXPECT_FALSE(dispatcher_->reserve(2));
  EXPECT_TRUE(reserved(1));
  dispatcher_->release(4);
  EXPECT_TRUE(reserved(4));
  dispatcher_->release(4);
  dispatcher_->stop();
  EXPECT_FALSE(dispatcher_->reserve(1));
}

TEST_F(DispatcherTest, DeliveriesPendingAtStartResume) {
  add_endpoint("we_a", receiver_.url("/a"), false);
  std::vector<std::string> events;
  for (int i = 0; i < 10; ++i) events.push_back(publish({"we_a"}));
  // One was claimed by a dispatcher that died: it comes due when its lease ends.
  const std::vector<DueDelivery> orphan =
      store_->claim_due(clock_.now_ms(), clock_.now_ms() + 90'000, 1);
  ASSERT_EQ(orphan.size(), 1u);
  start();
  ASSERT_TRUE(receiver_.wait_for_requests("/a", 9));
  // Still leased to the dead dispatcher after later claims: not taken early.
  ASSERT_TRUE(claimed_twice_more());
  EXPECT_EQ(delivery_of(orphan[0].delivery.event_id, "we_a").next_attempt_ms,
            clock_.now_ms() + 90'000);
  EXPECT_EQ(receiver_.request_count("/a"), 9u);
  advance(90'000);
  ASSERT_TRUE(eventually([&] { return store_->count_pending_deliveries() == 0; }));
  EXPECT_EQ(receiver_.request_count("/a"), 10u);
  for (const std::string& event : events) {
    EXPECT_EQ(delivery_of(event, "we_a").state, DeliveryState::kSucceeded);
  }
}

TEST_F(DispatcherTest, StopWithAttemptsInFlightLosesNothing) {
  options_.max_in_flight_per_endpoint = 8;
  add_endpoint("we_a", receiver_.url("/slow"), false);
  receiver_.script("/slow", Reply::delayed(200, 200ms));
  constexpr int kEvents = 40;
  std::vector<std::string> events;
  for (int i = 0; i < kEvents; ++i) events.push_back(publish({"we_a"}));
  start();
  ASSERT_TRUE(receiver_.wait_for_requests("/slow", 8));
  // 8 in flight, the others waiting for a slot. On a loaded machine the loop
  // may see stop() only after some answers (their slots then took more), or
  // after judging the endpoint behind (what waits is then set aside for a second).
  dispatcher_->stop();

  // Every request the receiver saw has its attempt recorded, and nothing is held
  // by a lease (one ends after the attempt timeout and a minute more): what was
  // not attempted is due now, or after the second it was set aside for.
  const std::size_t sent = receiver_.request_count("/slow");
  EXPECT_GE(sent, 8u);
  int recorded = 0;
  for (const std::string& event : events) {
    const Delivery delivery = delivery_of(event, "we_a");
    recorded += delivery.attempt_count;
    if (delivery.state == DeliveryState::kPending) {
      EXPECT_LT(delivery.next_attempt_ms, clock_.now_ms() + options_.attempt_timeout_ms) << event;
      EXPECT_EQ(delivery.attempt_count, 0);
    } else {
      EXPECT_EQ(delivery.state, DeliveryState::kSucceeded);
    }
  }
  EXPECT_EQ(static_cast<std::size_t>(recorded), sent);

  // A new dispatcher finishes the job, and no event is delivered twice. Time
  // goes on: what a busy endpoint cannot take at once is set aside for a while.
  start();
  ASSERT_TRUE(eventually(
      [&] {
        advance(10);
        return store_->count_pending_deliveries() == 0;
      },
      60s));
  EXPECT_EQ(receiver_.request_count("/slow"), static_cast<std::size_t>(kEvents));
}

TEST_F(DispatcherTest, ANeverAnsweringEndpointDoesNotDelayOthersOnTheSameHost) {
  options_.max_in_flight = 32;
  options_.max_in_flight_per_endpoint = 4;
  options_.attempt_timeout_ms = 600'000;  // the dead endpoint's attempts end only at the end
  receiver_.script("/dead", Reply::never_answer());
  add_endpoint("we_dead", receiver_.url("/dead"), false);
  add_endpoint("we_ok", receiver_.url("/ok"), false);
  // A backlog for the dead endpoint, due first ...
  publish_many(300, {"we_dead"});
  clock_.advance_ms(1);
  // ... and events for a healthy one behind it.
  publish_many(20, {"we_ok"});
  // Every wait below is far shorter than the dead endpoint's attempt timeout:
  // what arrives did not wait for any of its attempts to end.
  start();
  ASSERT_TRUE(receiver_.wait_for_requests("/ok", 20, 60s));

  // New events to the healthy endpoint go straight through.
  for (int i = 0; i < 20; ++i) {
    publish({"we_ok"});
    dispatcher_->wake();
    ASSERT_TRUE(receiver_.wait_for_requests("/ok", 21 + i, 60s)) << i;
  }
  // 40 attempts ended, none of them the dead endpoint's: those are all still open.
  EXPECT_TRUE(eventually([&] { return metrics_.attempts() == 40u; })) << metrics_.attempts();
  // The dead endpoint has only its slots' worth of attempts open; the rest of
  // its backlog went back to the store, due later.
  EXPECT_EQ(receiver_.request_count("/dead"), 4u);
  // (Outcomes are written in batches, on the recorder's thread: wait for them.)
  const auto set_aside = [&] {
    int64_t count = 0;
    for (int i = 1; i <= 300; ++i) {
      const Delivery delivery = delivery_of("evt_" + std::to_string(i), "we_dead");
      EXPECT_EQ(delivery.state, DeliveryState::kPending);
      EXPECT_EQ(delivery.attempt_count, 0);
      // Set aside for a second (the 4 in flight hold a lease of a minute and more).
      if (delivery.next_attempt_ms == clock_.now_ms() + 1'000) ++count;
    }
    return count;
  };
  EXPECT_TRUE(eventually([&] { return set_aside() == 296; })) << set_aside();
  receiver_.stop();  // the held attempts now end at once
  dispatcher_.reset();
}

TEST_F(DispatcherTest, ManyDeliveriesToOneEndpointReuseConnections) {
  options_.max_in_flight_per_endpoint = 16;
  add_endpoint("we_a", receiver_.url("/bulk"), false);
  add_endpoint("we_b", receiver_.url("/bulk"), false);  // the same host: connections shared
  constexpr int kEvents = 2'000;
  publish_many(kEvents, {"we_a", "we_b"});
  start();
  // Time goes on (what a busy endpoint cannot take at once is set aside for a while).
  ASSERT_TRUE(eventually(
      [&] {
        advance(10);
        return store_->count_pending_deliveries() == 0;
      },
      60s));
  EXPECT_EQ(receiver_.request_count("/bulk"), 2u * kEvents);
  EXPECT_LE(receiver_.connection_count(), 32u);
  EXPECT_EQ(metrics_.attempts(), 2u * kEvents);
}

TEST_F(DispatcherTest, StopAndDestroyWithoutStart) {
  Dispatcher idle(*store_, clock_, options_);
  idle.wake();
  idle.stop();
  idle.stop();
}

}  // namespace
}  // namespace hookline::testing
