// Issue 14: the queries behind GET /v1/webhook_stats, on both backends —
// events counted per time bucket (by mode, optionally by account, with their
// pending webhooks) and an endpoint's attempts since a time, newest first.
#include <gtest/gtest.h>

#include "store_backends.hpp"

namespace hookline::testing {
namespace {

class StoreStatsTest : public BackendStoreTest {
 protected:
  // One attempt for the first due delivery of `event_id`, at `at_ms`.
  void attempt(const std::string& event_id, int64_t at_ms, int64_t latency_us, bool success) {
    const int64_t delivery = store().add_manual_delivery(event_id, "we_a", at_ms);
    ASSERT_NE(delivery, 0);
    std::vector<DueDelivery> due = store().claim_due(at_ms, at_ms + 60'000, 100);
    for (const DueDelivery& item : due) {
      if (item.delivery.id != delivery) continue;
      DeliveryOutcome outcome;
      outcome.delivery_id = delivery;
      outcome.event_id = event_id;
      outcome.endpoint_id = "we_a";
      outcome.manual = true;
      Attempt made;
      made.delivery_id = delivery;
      made.event_id = event_id;
      made.endpoint_id = "we_a";
      made.at_ms = at_ms;
      made.http_status = success ? 200 : 500;
      made.latency_us = latency_us;
      made.success = success;
      outcome.attempt = made;
      outcome.new_state = success ? DeliveryState::kSucceeded : DeliveryState::kFailed;
      store().record_outcomes({outcome}, at_ms, 1'000'000'000);
      return;
    }
    FAIL() << "delivery " << delivery << " was not claimed";
  }
};
HOOKLINE_STORE_BACKENDS(StoreStatsTest);

TEST_P(StoreStatsTest, EventsAreCountedPerBucketByModeAndAccount) {
  store().put_endpoint(make_endpoint("we_a", "acct_p", true, false));
  store().insert_events({
      make_event("evt_before", "acct_c", 999, {"we_a"}),  // before the window
      make_event("evt_1", "acct_c", 1000, {"we_a"}),
      make_event("evt_2", "acct_c", 1059),
      make_event("evt_3", "acct_d", 1060, {"we_a"}),
      make_event("evt_live", "acct_c", 1061, {}, "payment_intent.succeeded", true),
      make_event("evt_4", "acct_c", 1179),
      make_event("evt_after", "acct_c", 1180),  // after the last bucket
  });
  EventActivityQuery query;
  query.livemode = false;
  query.since = 1000;
  query.bucket_seconds = 60;
  query.bucket_count = 3;
  EventActivity all = store().event_activity(query);
  EXPECT_EQ(all.events_per_bucket, (std::vector<int64_t>{2, 1, 1}));
  EXPECT_EQ(all.pending_webhooks, 2);  // evt_1 and evt_3 each owe one

  query.account_id = "acct_c";
  EventActivity one = store().event_activity(query);
  EXPECT_EQ(one.events_per_bucket, (std::vector<int64_t>{2, 0, 1}));
  EXPECT_EQ(one.pending_webhooks, 1);

  query.account_id.clear();
  query.livemode = true;
  EXPECT_EQ(store().event_activity(query).events_per_bucket, (std::vector<int64_t>{0, 1, 0}));
}

TEST_P(StoreStatsTest, AttemptSamplesAreAnEndpointsAttemptsSinceATimeNewestFirst) {
  store().put_endpoint(make_endpoint("we_a", "acct_p", true, false));
  store().put_endpoint(make_endpoint("we_b", "acct_p", true, false));
  store().insert_events({make_event("evt_1", "acct_c", 1), make_event("evt_2", "acct_c", 2)});
  attempt("evt_1", 5'000, 1'500, false);
  attempt("evt_1", 7'000, 2'500, true);
  attempt("evt_2", 9'000, 3'500, true);

  const std::vector<AttemptSample> since_6s = store().list_attempt_samples("we_a", 6'000, 10);
  ASSERT_EQ(since_6s.size(), 2u);
  EXPECT_EQ(since_6s[0].at_ms, 9'000);
  EXPECT_EQ(since_6s[0].latency_us, 3'500);
  EXPECT_TRUE(since_6s[0].success);
  EXPECT_EQ(since_6s[1].at_ms, 7'000);

  const std::vector<AttemptSample> newest = store().list_attempt_samples("we_a", 0, 1);
  ASSERT_EQ(newest.size(), 1u);
  EXPECT_EQ(newest[0].at_ms, 9'000);
  const std::vector<AttemptSample> all = store().list_attempt_samples("we_a", 0, 10);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_FALSE(all[2].success);
  EXPECT_TRUE(store().list_attempt_samples("we_b", 0, 10).empty());
}

}  // namespace
}  // namespace hookline::testing
