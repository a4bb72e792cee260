// Issue 14: the queries behind GET /v1/webhook_stats, on both backends —
// events counted per time bucket (by mode, optionally by account, with their
// pending webhooks) and an endpoint's attempts counted per bucket and
// latency class (the histogram the percentiles are read from).
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

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
      make_event("evt_1", "acct_c", 1000, {"we_a"}), make_event("evt_2", "acct_c", 1059),
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

TEST_P(StoreStatsTest, AttemptsAreCountedPerBucketAndLatencyClassInTheWindow) {
  store().put_endpoint(make_endpoint("we_a", "acct_p", true, false));
  store().put_endpoint(make_endpoint("we_b", "acct_p", true, false));
  store().insert_events({make_event("evt_1", "acct_c", 1), make_event("evt_2", "acct_c", 2)});
  attempt("evt_1", 4'999, 1'000, true);    // before the window
  attempt("evt_1", 5'000, 1'234, false);   // bucket 0, class 1200 µs
  attempt("evt_1", 5'999, 1'299, true);    // bucket 0, class 1200 µs
  attempt("evt_2", 6'000, 7, true);        // bucket 1, class 7 µs
  attempt("evt_2", 7'500, 99'999, false);  // bucket 2, class 99000 µs
  attempt("evt_2", 8'000, 5, true);        // after the window

  std::vector<AttemptHistogramCell> cells = store().attempt_histogram("we_a", 5'000, 1'000, 3);
  std::sort(cells.begin(), cells.end(), [](const auto& a, const auto& b) {
    return std::tie(a.bucket, a.latency_class) < std::tie(b.bucket, b.latency_class);
  });
  ASSERT_EQ(cells.size(), 3u);
  EXPECT_EQ(cells[0].bucket, 0);
  EXPECT_EQ(cells[0].latency_class, 1'200);
  EXPECT_EQ(cells[0].attempts, 2);
  EXPECT_EQ(cells[0].succeeded, 1);
  EXPECT_EQ(cells[1].bucket, 1);
  EXPECT_EQ(cells[1].latency_class, 7);
  EXPECT_EQ(cells[1].succeeded, 1);
  EXPECT_EQ(cells[2].bucket, 2);
  EXPECT_EQ(cells[2].latency_class, 99'000);
  EXPECT_EQ(cells[2].attempts, 1);
  EXPECT_EQ(cells[2].succeeded, 0);
  EXPECT_TRUE(store().attempt_histogram("we_b", 0, 1'000, 10).empty());
}

TEST_P(StoreStatsTest, LatencyClassesAreTheLatencyRoundedDownToTwoSignificantDigits) {
  store().put_endpoint(make_endpoint("we_a", "acct_p", true, false));
  store().insert_events({make_event("evt_1", "acct_c", 1)});
  const int64_t latencies_us[] = {0,     9,      10,      99,        100,       101,       999,
                                  1'000, 12'345, 123'456, 2'000'000, 9'999'999, 35'123'456};
  int64_t at_ms = 1'000;
  for (const int64_t latency : latencies_us) attempt("evt_1", at_ms++, latency, true);
  std::vector<AttemptHistogramCell> cells = store().attempt_histogram("we_a", 0, 1'000'000, 1);
  std::sort(cells.begin(), cells.end(),
            [](const auto& a, const auto& b) { return a.latency_class < b.latency_class; });
  std::vector<int64_t> floors;
  for (const AttemptHistogramCell& cell : cells) floors.push_back(cell.latency_class);
  EXPECT_EQ(floors, (std::vector<int64_t>{0, 9, 10, 99, 100, 990, 1'000, 12'000, 120'000, 2'000'000,
                                          9'900'000, 35'000'000}));
  EXPECT_EQ(cells[4].attempts, 2);  // 100 and 101 µs
}

}  // namespace
}  // namespace hookline::testing
