// Retry schedules run on a ManualClock: whole schedules, final failures,
// endpoints disabled by hand or automatically, manual resends.
#include <gtest/gtest.h>

#include "dispatcher_fixture.hpp"

namespace hookline::testing {
namespace {

using namespace std::chrono_literals;

TEST_F(DispatcherTest, TheWholeThreeDayLiveScheduleRunsOnTheManualClock) {
  options_.private_targets.allow_all = true;
  const WebhookEndpoint endpoint = add_endpoint("we_live", receiver_.url("/down"), true);
  receiver_.script("/down", Reply::with_status(500));
  const std::string event = publish({"we_live"}, true);
  const int64_t clock_start = clock_.now_ms();
  start();

  const std::vector<int64_t>& schedule = options_.live_schedule_ms;
  for (std::size_t step = 0; step < schedule.size(); ++step) {
    ASSERT_TRUE(attempts_reach(event, "we_live", static_cast<int>(step) + 1)) << step;
    const Delivery delivery = delivery_of(event, "we_live");
    ASSERT_EQ(delivery.state, DeliveryState::kPending);
    ASSERT_EQ(delivery.next_attempt_ms, clock_.now_ms() + schedule[step]) << step;
    advance(schedule[step]);
  }
  ASSERT_TRUE(state_is(event, "we_live", DeliveryState::kFailed));
  const Delivery delivery = delivery_of(event, "we_live");
  EXPECT_EQ(delivery.attempt_count, static_cast<int>(schedule.size()) + 1);
  EXPECT_EQ(receiver_.request_count("/down"), schedule.size() + 1);
  EXPECT_EQ(store_->get_event(event)->pending_webhooks, 1);  // never delivered

  // Each attempt at its own time, signed with its own timestamp.
  const std::vector<ReceivedRequest> requests = receiver_.requests("/down");
  const std::vector<Attempt> attempts = attempts_of(event);
  ASSERT_EQ(attempts.size(), requests.size());
  int64_t expected_at = clock_start;
  for (std::size_t i = 0; i < attempts.size(); ++i) {
    EXPECT_EQ(attempts[i].at_ms, expected_at) << i;
    EXPECT_EQ(timestamp_of(requests[i].header("Stripe-Signature")), expected_at / 1000) << i;
    EXPECT_TRUE(signature_verifies(requests[i].body, requests[i].header("Stripe-Signature"),
                                   endpoint.secrets[0].secret, expected_at))
        << i;
    if (i < schedule.size()) expected_at += schedule[i];
  }
  EXPECT_LT(clock_.now_ms() - clock_start, 3LL * 24 * 3600 * 1000);
  // Failing for under three days: the endpoint stays enabled.
  EXPECT_EQ(store_->get_endpoint("we_live")->status, EndpointStatus::kEnabled);

  // Nothing more happens, however long we wait.
  advance(7LL * 24 * 3600 * 1000);
  ASSERT_TRUE(claimed_twice_more());
  EXPECT_EQ(delivery_of(event, "we_live").state, DeliveryState::kFailed);
  EXPECT_EQ(delivery_of(event, "we_live").attempt_count, static_cast<int>(schedule.size()) + 1);
  EXPECT_EQ(receiver_.request_count("/down"), schedule.size() + 1);
}

TEST_F(DispatcherTest, ATestModeDeliveryFailsFinallyAfterThreeRetries) {
  add_endpoint("we_a", receiver_.url("/down"), false);
  receiver_.script("/down", Reply::with_status(500));
  const std::string event = publish({"we_a"});
  start();
  for (std::size_t step = 0; step < options_.test_schedule_ms.size(); ++step) {
    ASSERT_TRUE(attempts_reach(event, "we_a", static_cast<int>(step) + 1));
    advance(options_.test_schedule_ms[step]);
  }
  ASSERT_TRUE(state_is(event, "we_a", DeliveryState::kFailed));
  EXPECT_EQ(delivery_of(event, "we_a").attempt_count, 4);
  EXPECT_EQ(receiver_.request_count("/down"), 4u);
  EXPECT_EQ(store_->count_pending_deliveries(), 0);
}

TEST_F(DispatcherTest, JitteredRetriesStayWithinTheJitter) {
  options_.jitter = 0.1;
  add_endpoint("we_a", receiver_.url("/down"), false);
  receiver_.script("/down", Reply::with_status(500));
  std::vector<std::string> events;
  for (int i = 0; i < 20; ++i) events.push_back(publish({"we_a"}));
  start();
  const int64_t base = options_.test_schedule_ms[0];
  for (const std::string& event : events) {
    ASSERT_TRUE(attempts_reach(event, "we_a", 1));
    const int64_t delay = delivery_of(event, "we_a").next_attempt_ms - clock_.now_ms();
    EXPECT_GE(delay, base * 9 / 10);
    EXPECT_LE(delay, base * 11 / 10);
  }
}

TEST_F(DispatcherTest, DisablingTheEndpointMidScheduleStopsTheRetries) {
  add_endpoint("we_a", receiver_.url("/down"), false);
  receiver_.script("/down", Reply::with_status(500));
  const std::string event = publish({"we_a"});
  start();
  ASSERT_TRUE(attempts_reach(event, "we_a", 1));
  WebhookEndpoint endpoint = *store_->get_endpoint("we_a");
  endpoint.status = EndpointStatus::kDisabled;
  store_->put_endpoint(endpoint);
  advance(options_.test_schedule_ms[0]);
  ASSERT_TRUE(state_is(event, "we_a", DeliveryState::kFailed));
  EXPECT_EQ(delivery_of(event, "we_a").attempt_count, 1);
  EXPECT_EQ(receiver_.request_count("/down"), 1u);
}

TEST_F(DispatcherTest, AnEndpointFailingLongerThanDisableAfterIsDisabled) {
  options_.disable_after_ms = 3'600'000;  // one hour
  add_endpoint("we_a", receiver_.url("/down"), false);
  add_endpoint("we_ok", receiver_.url("/ok"), false);
  receiver_.script("/down", Reply::with_status(500));
  const int64_t t0 = clock_.now_ms();
  const std::string first = publish({"we_a", "we_ok"});
  // Another event owed to it, due after the disabling.
  const std::string second = publish({"we_a"}, false, t0 + 91 * 60'000);
  start();
  ASSERT_TRUE(attempts_reach(first, "we_a", 1));
  advance(options_.test_schedule_ms[0]);  // T0 + 30 min: failing for 30 min
  ASSERT_TRUE(attempts_reach(first, "we_a", 2));
  EXPECT_EQ(store_->get_endpoint("we_a")->status, EndpointStatus::kEnabled);
  advance(options_.test_schedule_ms[1]);  // T0 + 90 min: failing for over an hour
  ASSERT_TRUE(attempts_reach(first, "we_a", 3));
  ASSERT_TRUE(eventually(
      [&] { return store_->get_endpoint("we_a")->status == EndpointStatus::kDisabled; }));
  EXPECT_EQ(store_->get_endpoint("we_ok")->status, EndpointStatus::kEnabled);
  ASSERT_TRUE(eventually([&] {
    return metrics_.render_prometheus(0).find("hookline_endpoints_disabled_total 1") !=
           std::string::npos;
  }));
  // The retries still owed to it stop, without another attempt.
  ASSERT_TRUE(state_is(first, "we_a", DeliveryState::kPending));
  advance(60'000);  // the second event comes due
  ASSERT_TRUE(state_is(second, "we_a", DeliveryState::kFailed));
  EXPECT_EQ(delivery_of(second, "we_a").attempt_count, 0);
  clock_.set_ms(delivery_of(first, "we_a").next_attempt_ms);
  dispatcher_->wake();
  ASSERT_TRUE(state_is(first, "we_a", DeliveryState::kFailed));
  EXPECT_EQ(delivery_of(first, "we_a").attempt_count, 3);
  advance(24LL * 3600 * 1000);
  ASSERT_TRUE(claimed_twice_more());
  EXPECT_EQ(delivery_of(first, "we_a").attempt_count, 3);
  EXPECT_EQ(receiver_.request_count("/down"), 3u);
}

TEST_F(DispatcherTest, AManualResendIsDeliveredOnceAndLeavesTheScheduleAlone) {
  add_endpoint("we_a", receiver_.url("/hook"), false);
  receiver_.script("/hook", {Reply::with_status(500), Reply::with_status(200),
                             Reply::with_status(200)});
  const std::string event = publish({"we_a"});
  start();
  ASSERT_TRUE(attempts_reach(event, "we_a", 1));
  const Delivery automatic = delivery_of(event, "we_a");
  ASSERT_EQ(automatic.state, DeliveryState::kPending);

  advance(1'000);
  ASSERT_GT(store_->add_manual_delivery(event, "we_a", clock_.now_ms()), 0);
  dispatcher_->wake();
  ASSERT_TRUE(state_is(event, "we_a", DeliveryState::kSucceeded, /*manual=*/true));
  EXPECT_EQ(delivery_of(event, "we_a", true).attempt_count, 1);
  // The automatic delivery keeps its time and count; the event is still owed it.
  const Delivery after = delivery_of(event, "we_a");
  EXPECT_EQ(after.state, DeliveryState::kPending);
  EXPECT_EQ(after.next_attempt_ms, automatic.next_attempt_ms);
  EXPECT_EQ(after.attempt_count, 1);
  EXPECT_EQ(store_->get_event(event)->pending_webhooks, 1);
  EXPECT_EQ(receiver_.request_count("/hook"), 2u);

  // The retry then comes at its time, and settles the event.
  clock_.set_ms(automatic.next_attempt_ms);
  dispatcher_->wake();
  ASSERT_TRUE(state_is(event, "we_a", DeliveryState::kSucceeded));
  EXPECT_EQ(store_->get_event(event)->pending_webhooks, 0);
  EXPECT_EQ(receiver_.request_count("/hook"), 3u);
}

TEST_F(DispatcherTest, AFailedManualResendIsNotRetried) {
  add_endpoint("we_a", receiver_.url("/down"), false);
  receiver_.script("/down", Reply::with_status(500));
  const std::string event = publish({"we_a"});
  ASSERT_TRUE(store_->list_deliveries(event).size() == 1);
  start();
  ASSERT_TRUE(attempts_reach(event, "we_a", 1));
  ASSERT_GT(store_->add_manual_delivery(event, "we_a", clock_.now_ms()), 0);
  dispatcher_->wake();
  ASSERT_TRUE(state_is(event, "we_a", DeliveryState::kFailed, /*manual=*/true));
  advance(options_.test_schedule_ms[0]);
  ASSERT_TRUE(attempts_reach(event, "we_a", 2));  // the automatic retry
  EXPECT_EQ(delivery_of(event, "we_a", true).attempt_count, 1);
  EXPECT_EQ(receiver_.request_count("/down"), 3u);
}

}  // namespace
}  // namespace hookline::testing
