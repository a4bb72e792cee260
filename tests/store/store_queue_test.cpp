// The deliveries table as a queue: atomic inserts, leases, outcomes,
// pending_webhooks, the automatic disable, deleted endpoints, manual resends.
#include <gtest/gtest.h>

#include <set>

#include "store_backends.hpp"

namespace hookline::testing {
namespace {

constexpr int64_t kNow = 1'767'225'600'000;
constexpr int64_t kLease = 30'000;
constexpr int64_t kDay = 86'400'000;

class StoreQueueTest : public BackendStoreTest {
 protected:
  StoreQueueTest() {
    store().put_endpoint(make_endpoint("we_a", "acct_p", true, false));
    store().put_endpoint(make_endpoint("we_b", "acct_p", true, false));
  }

  std::vector<DueDelivery> claim(int64_t now, std::size_t limit = 100) {
    return store().claim_due(now, now + kLease, limit);
  }

  static DeliveryOutcome outcome(const DueDelivery& due, bool success, int64_t at_ms,
                                 DeliveryState state, int64_t next_ms = 0) {
    DeliveryOutcome out;
    out.delivery_id = due.delivery.id;
    out.event_id = due.delivery.event_id;
    out.endpoint_id = due.delivery.endpoint_id;
    Attempt attempt;
    attempt.at_ms = at_ms;
    attempt.http_status = success ? 200 : 500;
    attempt.latency_us = 1234;
    attempt.response_excerpt = success ? "ok" : "boom";
    attempt.success = success;
    out.attempt = attempt;
    out.new_state = state;
    out.next_attempt_ms = next_ms;
    out.manual = due.delivery.manual;
    return out;
  }
};
HOOKLINE_STORE_BACKENDS(StoreQueueTest);

TEST_P(StoreQueueTest, InsertEventsIsAllOrNothing) {
  store().insert_events(
      {make_event("evt_dup", "acct_c", 1, {"we_a"}, "charge.failed", false, kNow)});
  // The second event of this batch collides with an existing id: nothing of it is kept.
  EXPECT_THROW(store().insert_events({make_event("evt_new", "acct_c", 2, {"we_a", "we_b"}),
                                      make_event("evt_dup", "acct_c", 3, {"we_b"})}),
               StoreError);
  EXPECT_FALSE(store().get_event("evt_new"));
  EXPECT_TRUE(store().list_deliveries("evt_new").empty());
  EXPECT_EQ(store().count_pending_deliveries(), 1);
  // The store is still usable afterwards.
  store().insert_events({make_event("evt_new", "acct_c", 2, {"we_a"})});
  EXPECT_TRUE(store().get_event("evt_new"));
}

TEST_P(StoreQueueTest, InsertedEventHasOnePendingDeliveryPerEndpoint) {
  store().insert_events(
      {make_event("evt_1", "acct_c", 1, {"we_a", "we_b"}, "charge.failed", false, kNow + 5)});
  EXPECT_EQ(store().get_event("evt_1")->pending_webhooks, 2);
  const std::vector<Delivery> deliveries = store().list_deliveries("evt_1");
  ASSERT_EQ(deliveries.size(), 2u);
  for (const Delivery& delivery : deliveries) {
    EXPECT_EQ(delivery.state, DeliveryState::kPending);
    EXPECT_FALSE(delivery.manual);
    EXPECT_EQ(delivery.attempt_count, 0);
    EXPECT_EQ(delivery.next_attempt_ms, kNow + 5);
  }
  EXPECT_EQ(store().next_due_ms(), kNow + 5);
  EXPECT_EQ(store().count_pending_deliveries(), 2);
}

TEST_P(StoreQueueTest, ClaimReturnsOnlyDueDeliveriesOldestFirstWithWhatTheSenderNeeds) {
  store().insert_events(
      {make_event("evt_late", "acct_c", 1, {"we_a"}, "charge.failed", true, kNow + 10),
       make_event("evt_early", "acct_c", 1, {"we_b"}, "payout.paid", false, kNow - 10),
       make_event("evt_future", "acct_c", 1, {"we_a"}, "charge.failed", false, kNow + 999'999)});
  const std::vector<DueDelivery> due = claim(kNow + 10);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].delivery.event_id, "evt_early");
  EXPECT_EQ(due[0].event_type, "payout.paid");
  EXPECT_FALSE(due[0].event_livemode);
  EXPECT_EQ(due[0].event_account_id, "acct_c");
  EXPECT_EQ(due[0].event_body, store().get_event("evt_early")->body);
  ASSERT_TRUE(due[0].endpoint);
  EXPECT_EQ(due[0].endpoint->id, "we_b");
  EXPECT_EQ(due[0].endpoint->secrets.at(0).secret, "whsec_we_b");
  EXPECT_EQ(due[1].delivery.event_id, "evt_late");
  EXPECT_TRUE(due[1].event_livemode);
}

TEST_P(StoreQueueTest, ClaimRespectsTheLimit) {
  std::vector<NewEvent> batch;
  for (int i = 0; i < 10; ++i) {
    batch.push_back(make_event("evt_" + std::to_string(i), "acct_c", 1, {"we_a"}, "charge.failed",
                               false, kNow - 100 + i));
  }
  store().insert_events(batch);
  const std::vector<DueDelivery> first = claim(kNow, 4);
  ASSERT_EQ(first.size(), 4u);
  EXPECT_EQ(first[0].delivery.event_id, "evt_0");
  EXPECT_EQ(first[3].delivery.event_id, "evt_3");
  EXPECT_EQ(claim(kNow, 100).size(), 6u);
}

TEST_P(StoreQueueTest, ClaimedDeliveriesAreNotClaimedAgainUntilTheLeaseExpires) {
  store().insert_events(
      {make_event("evt_1", "acct_c", 1, {"we_a", "we_b"}, "charge.failed", false, kNow)});
  ASSERT_EQ(claim(kNow).size(), 2u);
  EXPECT_TRUE(claim(kNow).empty());
  EXPECT_TRUE(claim(kNow + kLease - 1).empty());
  EXPECT_EQ(store().next_due_ms(), kNow + kLease);
  // The claimer never reported back: they come due again when the lease runs out.
  EXPECT_EQ(claim(kNow + kLease).size(), 2u);
}

TEST_P(StoreQueueTest, InsertReturnsTheDeliveryIdsInOrder) {
  const std::vector<int64_t> ids = store().insert_events(
      {make_event("evt_1", "acct_c", 1, {"we_a", "we_b"}, "charge.failed", false, kNow),
       make_event("evt_none", "acct_c", 1, {}, "charge.failed", false, kNow),
       make_event("evt_2", "acct_c", 1, {"we_b"}, "charge.failed", false, kNow)});
  ASSERT_EQ(ids.size(), 3u);
  const std::vector<Delivery> first = store().list_deliveries("evt_1");
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].id, ids[0]);
  EXPECT_EQ(first[0].endpoint_id, "we_a");
  EXPECT_EQ(first[1].id, ids[1]);
  EXPECT_EQ(first[1].endpoint_id, "we_b");
  EXPECT_EQ(store().list_deliveries("evt_2").at(0).id, ids[2]);
  EXPECT_TRUE(store().insert_events({}).empty());
}

TEST_P(StoreQueueTest, DeliveriesInsertedLeasedAreNotClaimedUntilTheLeaseEnds) {
  NewEvent leased = make_event("evt_1", "acct_c", 1, {"we_a"}, "charge.failed", false, kNow);
  leased.lease_until_ms = kNow + kLease;
  store().insert_events({leased});
  const Delivery delivery = store().list_deliveries("evt_1").at(0);
  EXPECT_EQ(delivery.state, DeliveryState::kPending);
  EXPECT_EQ(delivery.next_attempt_ms, kNow + kLease);
  EXPECT_EQ(delivery.created_ms, kNow);
  EXPECT_EQ(store().count_pending_deliveries(), 1);
  EXPECT_TRUE(claim(kNow).empty());
  EXPECT_TRUE(claim(kNow + kLease - 1).empty());
  // Whoever it was handed to never reported back: it comes due then.
  EXPECT_EQ(claim(kNow + kLease).size(), 1u);
}

TEST_P(StoreQueueTest, DeliveryToADeletedEndpointIsClaimedWithoutEndpoint) {
  store().insert_events({make_event("evt_1", "acct_c", 1, {"we_a"}, "charge.failed", false, kNow)});
  store().delete_endpoint("we_a");
  const std::vector<DueDelivery> due = claim(kNow);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_FALSE(due[0].endpoint);
  EXPECT_EQ(due[0].delivery.endpoint_id, "we_a");

  // The dispatcher gives up on it without an attempt.
  DeliveryOutcome gave_up;
  gave_up.delivery_id = due[0].delivery.id;
  gave_up.event_id = "evt_1";
  gave_up.endpoint_id = "we_a";
  gave_up.new_state = DeliveryState::kFailed;
  EXPECT_TRUE(store().record_outcomes({gave_up}, kNow, 3 * kDay).empty());
  EXPECT_EQ(store().list_deliveries("evt_1")[0].state, DeliveryState::kFailed);
  EXPECT_EQ(store().list_deliveries("evt_1")[0].attempt_count, 0);
  EXPECT_EQ(store().count_pending_deliveries(), 0);
}

TEST_P(StoreQueueTest, SuccessRecordsTheAttemptAndDecrementsPendingWebhooksOnce) {
  store().insert_events(
      {make_event("evt_1", "acct_c", 1, {"we_a", "we_b"}, "charge.failed", false, kNow)});
  const std::vector<DueDelivery> due = claim(kNow);
  ASSERT_EQ(due.size(), 2u);
  store().record_outcomes({outcome(due[0], true, kNow + 1, DeliveryState::kSucceeded)}, kNow + 1,
                          kDay);
  EXPECT_EQ(store().get_event("evt_1")->pending_webhooks, 1);
  // A duplicate report (the same delivery claimed twice after a lease ran out)
  // is logged as an attempt but changes no count.
  store().record_outcomes({outcome(due[0], true, kNow + 2, DeliveryState::kSucceeded)}, kNow + 2,
                          kDay);
  EXPECT_EQ(store().get_event("evt_1")->pending_webhooks, 1);

  const std::vector<Delivery> deliveries = store().list_deliveries("evt_1");
  EXPECT_EQ(deliveries[0].state, DeliveryState::kSucceeded);
  EXPECT_EQ(deliveries[0].attempt_count, 2);
  EXPECT_EQ(deliveries[0].last_http_status, 200);
  EXPECT_EQ(deliveries[1].state, DeliveryState::kPending);

  const Page<Attempt> attempts = store().list_attempts_for_event("evt_1", {});
  ASSERT_EQ(attempts.items.size(), 2u);
  EXPECT_EQ(attempts.items[0].at_ms, kNow + 2);  // newest first
  EXPECT_EQ(attempts.items[0].http_status, 200);
  EXPECT_EQ(attempts.items[0].latency_us, 1234);
  EXPECT_EQ(attempts.items[0].response_excerpt, "ok");
  EXPECT_TRUE(attempts.items[0].success);
  EXPECT_EQ(attempts.items[0].endpoint_id, due[0].delivery.endpoint_id);

  store().record_outcomes({outcome(due[1], true, kNow + 3, DeliveryState::kSucceeded)}, kNow + 3,
                          kDay);
  EXPECT_EQ(store().get_event("evt_1")->pending_webhooks, 0);
  EXPECT_EQ(store().count_pending_deliveries(), 0);
  EXPECT_FALSE(store().next_due_ms());
}

TEST_P(StoreQueueTest, FailureReschedulesAndAFinalFailureLeavesTheEventPending) {
  store().insert_events({make_event("evt_1", "acct_c", 1, {"we_a"}, "charge.failed", false, kNow)});
  std::vector<DueDelivery> due = claim(kNow);
  store().record_outcomes({outcome(due[0], false, kNow, DeliveryState::kPending, kNow + 60'000)},
                          kNow, kDay);
  Delivery delivery = store().list_deliveries("evt_1")[0];
  EXPECT_EQ(delivery.state, DeliveryState::kPending);
  EXPECT_EQ(delivery.next_attempt_ms, kNow + 60'000);
  EXPECT_EQ(delivery.attempt_count, 1);
  EXPECT_EQ(delivery.last_http_status, 500);
  EXPECT_TRUE(claim(kNow + 59'999).empty());

  due = claim(kNow + 60'000);
  ASSERT_EQ(due.size(), 1u);
  store().record_outcomes({outcome(due[0], false, kNow + 60'000, DeliveryState::kFailed)},
                          kNow + 60'000, kDay);
  delivery = store().list_deliveries("evt_1")[0];
  EXPECT_EQ(delivery.state, DeliveryState::kFailed);
  EXPECT_EQ(delivery.attempt_count, 2);
  EXPECT_EQ(store().get_event("evt_1")->pending_webhooks, 1);
  EXPECT_TRUE(claim(kNow + 10 * kDay).empty());
}

TEST_P(StoreQueueTest, ResponseExcerptIsCappedAt4KiB) {
  store().insert_events({make_event("evt_1", "acct_c", 1, {"we_a"}, "charge.failed", false, kNow)});
  const std::vector<DueDelivery> due = claim(kNow);
  DeliveryOutcome big = outcome(due[0], false, kNow, DeliveryState::kPending, kNow + 1);
  big.attempt->response_excerpt = std::string(10'000, 'x');
  store().record_outcomes({big}, kNow, kDay);
  EXPECT_EQ(store().list_attempts_for_endpoint("we_a", {}).items.at(0).response_excerpt.size(),
            4096u);
}

TEST_P(StoreQueueTest, FailingSinceIsSetByTheFirstFailureAndClearedBySuccess) {
  store().insert_events({make_event("evt_1", "acct_c", 1, {"we_a"}, "charge.failed", false, kNow)});
  std::vector<DueDelivery> due = claim(kNow);
  store().record_outcomes({outcome(due[0], false, kNow, DeliveryState::kPending, kNow + 1000)},
                          kNow, kDay);
  EXPECT_EQ(store().get_endpoint("we_a")->failing_since_ms, kNow);
  due = claim(kNow + 1000);
  store().record_outcomes(
      {outcome(due[0], false, kNow + 1000, DeliveryState::kPending, kNow + 2000)}, kNow + 1000,
      kDay);
  EXPECT_EQ(store().get_endpoint("we_a")->failing_since_ms, kNow);  // still the first one
  due = claim(kNow + 2000);
  store().record_outcomes({outcome(due[0], true, kNow + 2000, DeliveryState::kSucceeded)},
                          kNow + 2000, kDay);
  EXPECT_EQ(store().get_endpoint("we_a")->failing_since_ms, 0);
}

TEST_P(StoreQueueTest, WithinOneBatchTheLastSuccessOrFirstFailureAfterItDecides) {
  store().insert_events({make_event("evt_1", "acct_c", 1, {"we_a"}, "charge.failed", false, kNow),
                         make_event("evt_2", "acct_c", 1, {"we_a"}, "charge.failed", false, kNow),
                         make_event("evt_3", "acct_c", 1, {"we_a"}, "charge.failed", false, kNow)});
  // Already failing since long ago.
  WebhookEndpoint endpoint = *store().get_endpoint("we_a");
  endpoint.failing_since_ms = kNow - kDay;
  store().put_endpoint(endpoint);
  std::vector<DueDelivery> due = claim(kNow);
  ASSERT_EQ(due.size(), 3u);
  // failure, success, failure: the run of failures restarts at the last failure.
  store().record_outcomes({outcome(due[0], false, kNow + 1, DeliveryState::kPending, kNow + 100),
                           outcome(due[1], true, kNow + 2, DeliveryState::kSucceeded),
                           outcome(due[2], false, kNow + 3, DeliveryState::kPending, kNow + 100)},
                          kNow + 3, 3 * kDay);
  EXPECT_EQ(store().get_endpoint("we_a")->failing_since_ms, kNow + 3);
  // failure, then success: healthy.
  due = claim(kNow + 100);
  ASSERT_EQ(due.size(), 2u);
  store().record_outcomes({outcome(due[0], false, kNow + 101, DeliveryState::kPending, kNow + 200),
                           outcome(due[1], true, kNow + 102, DeliveryState::kSucceeded)},
                          kNow + 102, 3 * kDay);
  EXPECT_EQ(store().get_endpoint("we_a")->failing_since_ms, 0);
}

TEST_P(StoreQueueTest, EndpointFailingLongerThanTheThresholdIsDisabledOnce) {
  store().insert_events(
      {make_event("evt_1", "acct_c", 1, {"we_a", "we_b"}, "charge.failed", false, kNow)});
  std::vector<DueDelivery> due = claim(kNow);
  ASSERT_EQ(due.size(), 2u);
  // we_a fails, we_b succeeds.
  store().record_outcomes({outcome(due[0], false, kNow, DeliveryState::kPending, kNow + 3 * kDay),
                           outcome(due[1], true, kNow, DeliveryState::kSucceeded)},
                          kNow, 3 * kDay);
  // Exactly at the threshold: not yet.
  due = claim(kNow + 3 * kDay);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_TRUE(store()
                  .record_outcomes({outcome(due[0], false, kNow + 3 * kDay, DeliveryState::kPending,
                                            kNow + 3 * kDay + 1)},
                                   kNow + 3 * kDay, 3 * kDay)
                  .empty());
  EXPECT_EQ(store().get_endpoint("we_a")->status, EndpointStatus::kEnabled);
  // One millisecond later it is over: disabled, and reported once.
  due = claim(kNow + 3 * kDay + 1);
  ASSERT_EQ(due.size(), 1u);
  const int64_t later = kNow + 3 * kDay + 1;
  EXPECT_EQ(
      store().record_outcomes({outcome(due[0], false, later, DeliveryState::kPending, later + 1)},
                              later, 3 * kDay),
      (std::vector<std::string>{"we_a"}));
  EXPECT_EQ(store().get_endpoint("we_a")->status, EndpointStatus::kDisabled);
  EXPECT_EQ(store().get_endpoint("we_b")->status, EndpointStatus::kEnabled);
  due = claim(later + 1);
  EXPECT_TRUE(store()
                  .record_outcomes({outcome(due[0], false, later + 1, DeliveryState::kFailed)},
                                   later + 1, 3 * kDay)
                  .empty());
}

TEST_P(StoreQueueTest, ManualResendIsASeparateDeliveryThatLeavesPendingWebhooksAlone) {
  store().insert_events(
      {make_event("evt_1", "acct_c", 1, {"we_a"}, "charge.failed", false, kNow + kDay)});
  const int64_t manual_id = store().add_manual_delivery("evt_1", "we_a", kNow);
  EXPECT_GT(manual_id, 0);
  EXPECT_EQ(store().add_manual_delivery("evt_missing", "we_a", kNow), 0);

  std::vector<DueDelivery> due = claim(kNow);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].delivery.id, manual_id);
  EXPECT_TRUE(due[0].delivery.manual);
  store().record_outcomes({outcome(due[0], true, kNow, DeliveryState::kSucceeded)}, kNow, kDay);
  EXPECT_EQ(store().get_event("evt_1")->pending_webhooks, 1);

  // The automatic delivery is still scheduled and does count.
  due = claim(kNow + kDay);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_FALSE(due[0].delivery.manual);
  store().record_outcomes({outcome(due[0], true, kNow + kDay, DeliveryState::kSucceeded)},
                          kNow + kDay, kDay);
  EXPECT_EQ(store().get_event("evt_1")->pending_webhooks, 0);
}

TEST_P(StoreQueueTest, AttemptListsPageNewestFirstPerEndpoint) {
  store().insert_events(
      {make_event("evt_1", "acct_c", 1, {"we_a", "we_b"}, "charge.failed", false, kNow)});
  int64_t now = kNow;
  for (int round = 0; round < 3; ++round) {
    const std::vector<DueDelivery> due = claim(now);
    ASSERT_EQ(due.size(), 2u);
    store().record_outcomes({outcome(due[0], false, now, DeliveryState::kPending, now + 10),
                             outcome(due[1], false, now, DeliveryState::kPending, now + 10)},
                            now, kDay);
    now += 10;
  }
  Page<Attempt> page = store().list_attempts_for_endpoint("we_a", {2, "", ""});
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_TRUE(page.has_more);
  EXPECT_EQ(page.items[0].at_ms, kNow + 20);
  EXPECT_EQ(page.items[1].at_ms, kNow + 10);
  page = store().list_attempts_for_endpoint("we_a", {2, std::to_string(page.items[1].id), ""});
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].at_ms, kNow);
  EXPECT_FALSE(page.has_more);
  EXPECT_EQ(store().list_attempts_for_event("evt_1", {10, "", ""}).items.size(), 6u);
  EXPECT_TRUE(store().list_attempts_for_endpoint("we_a", {10, "not-a-number", ""}).items.empty());
}

TEST_P(StoreQueueTest, PendingDeliveriesSurviveReopen) {
  store().insert_events({make_event("evt_1", "acct_c", 1, {"we_a"}, "charge.failed", false, kNow)});
  reopen();
  EXPECT_EQ(store().count_pending_deliveries(), 1);
  EXPECT_EQ(claim(kNow).size(), 1u);
}

}  // namespace
}  // namespace hookline::testing
