// Issue 14: an endpoint's attempts filtered by event type, and the hourly
// rollup that GET /v1/webhook_stats?window=day reads, on both backends.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "store/attempt_hours.hpp"
#include "store_backends.hpp"

namespace hookline::testing {
namespace {

constexpr int64_t kHour = 3'600'000;

class StoreAttemptHoursTest : public BackendStoreTest {
 protected:
  void SetUp() override { store().put_endpoint(make_endpoint("we_a", "acct_p", true, false)); }

  // One manual delivery of `event_id` to we_a per entry, all claimed and
  // recorded in one batch: (at_ms, latency_us, success).
  void attempts(const std::string& event_id,
                const std::vector<std::tuple<int64_t, int64_t, bool>>& made) {
    std::vector<DeliveryOutcome> outcomes;
    int64_t latest = 0;
    for (const auto& [at_ms, latency_us, success] : made) {
      DeliveryOutcome outcome;
      outcome.delivery_id = store().add_manual_delivery(event_id, "we_a", at_ms);
      ASSERT_NE(outcome.delivery_id, 0);
      outcome.event_id = event_id;
      outcome.endpoint_id = "we_a";
      outcome.manual = true;
      Attempt attempt;
      attempt.at_ms = at_ms;
      attempt.http_status = success ? 200 : 500;
      attempt.latency_us = latency_us;
      attempt.success = success;
      outcome.attempt = attempt;
      outcome.new_state = success ? DeliveryState::kSucceeded : DeliveryState::kFailed;
      outcomes.push_back(outcome);
      latest = std::max(latest, at_ms);
    }
    ASSERT_EQ(store().claim_due(latest, latest + 60'000, 1000).size(), made.size());
    store().record_outcomes(outcomes, latest, 1'000'000'000);
  }

  // (bucket, class) → (attempts, succeeded), whatever the order of the cells.
  static std::map<std::pair<int, int64_t>, std::pair<int64_t, int64_t>> by_cell(
      const std::vector<AttemptHistogramCell>& cells) {
    std::map<std::pair<int, int64_t>, std::pair<int64_t, int64_t>> out;
    for (const AttemptHistogramCell& cell : cells) {
      auto& [count, ok] = out[{cell.bucket, cell.latency_class}];
      count += cell.attempts;
      ok += cell.succeeded;
    }
    return out;
  }

  // The same window in one-minute buckets (read from the attempts' index),
  // folded into hours.
  std::map<std::pair<int, int64_t>, std::pair<int64_t, int64_t>> hours_from_minutes(
      int64_t since_ms, int hours) {
    std::vector<AttemptHistogramCell> cells =
        store().attempt_histogram("we_a", since_ms, 60'000, hours * 60);
    for (AttemptHistogramCell& cell : cells) cell.bucket /= 60;
    return by_cell(cells);
  }
};
HOOKLINE_STORE_BACKENDS(StoreAttemptHoursTest);

TEST_P(StoreAttemptHoursTest, HourlyBucketsAreTheAttemptsOfEachHourPerLatencyClass) {
  const int64_t day = 20'000 * 24 * kHour;  // a whole hour (and day)
  store().insert_events({make_event("evt_1", "acct_c", day / 1000 - 10)});
  attempts("evt_1", {{day - 1, 5'000, true},                // before the window
                     {day, 1'234, false},                   // hour 0, class 1200 µs
                     {day + kHour - 1, 1'299, true},        // hour 0, class 1200 µs
                     {day + kHour, 7, true}});              // hour 1, class 7 µs
  attempts("evt_1", {{day + 2 * kHour + 5, 99'999, false},  // hour 2, class 99 ms
                     {day + 2 * kHour + 6, 99'000, true},   // the same cell, same batch
                     {day + 3 * kHour, 10, true}});         // after the window
  attempts("evt_1", {{day + 30, 1'200, true}});             // hour 0 again, another batch

  const auto hourly = by_cell(store().attempt_histogram("we_a", day, kHour, 3));
  using Cells = std::map<std::pair<int, int64_t>, std::pair<int64_t, int64_t>>;
  EXPECT_EQ(hourly, (Cells{{{0, 1'200}, {3, 2}}, {{1, 7}, {1, 1}}, {{2, 99'000}, {2, 1}}}));
  EXPECT_EQ(hourly, hours_from_minutes(day, 3));
  EXPECT_TRUE(store().attempt_histogram("we_b", day, kHour, 3).empty());
}

TEST_P(StoreAttemptHoursTest, RetentionRemovesTheRollupsHoursBeforeItsCutOff) {
  const int64_t day = 20'000 * 24 * kHour;
  store().insert_events(
      {make_event("evt_old", "acct_c", 100), make_event("evt_new", "acct_c", day / 1000 + 7200)});
  attempts("evt_new", {{day + 10, 1'000, true}, {day + kHour + 10, 1'000, true}});
  // The cut-off is an hour into the day: evt_old goes, and with it the
  // rollup's first hour (hourly stats are only read for the last day).
  EXPECT_EQ(store().prune(day / 1000 + 3600, 0), 1);
  EXPECT_EQ(by_cell(store().attempt_histogram("we_a", day, kHour, 2)).size(), 1u);
  EXPECT_EQ(store().attempt_histogram("we_a", day, kHour, 2).at(0).bucket, 1);
}

TEST_P(StoreAttemptHoursTest, LatencyClassesInCppAreThoseOfTheSql) {
  const int64_t latencies_us[] = {0,     9,      10,      99,        100,       101,       999,
                                  1'000, 12'345, 123'456, 2'000'000, 9'999'999, 35'123'456};
  store().insert_events({make_event("evt_1", "acct_c", 1)});
  std::vector<std::tuple<int64_t, int64_t, bool>> made;
  int64_t at_ms = 0;
  for (const int64_t latency : latencies_us) made.emplace_back(at_ms++, latency, true);
  attempts("evt_1", made);
  std::vector<int64_t> from_sql, from_cpp;
  for (const AttemptHistogramCell& cell : store().attempt_histogram("we_a", 0, 60'000, 1)) {
    from_sql.push_back(cell.latency_class);
  }
  for (const int64_t latency : latencies_us) from_cpp.push_back(latency_class_of(latency));
  from_cpp.erase(std::unique(from_cpp.begin(), from_cpp.end()), from_cpp.end());
  std::sort(from_sql.begin(), from_sql.end());
  EXPECT_EQ(from_cpp, from_sql);
}

TEST_P(StoreAttemptHoursTest, AnEndpointsAttemptsFilterByEventTypeExactOrPrefix) {
  store().insert_events({make_event("evt_pi1", "acct_c", 1, {}, "payment_intent.succeeded"),
                         make_event("evt_cus", "acct_c", 2, {}, "customer.created"),
                         make_event("evt_pi2", "acct_c", 3, {}, "payment_intent.created"),
                         make_event("evt_ch", "acct_c", 4, {}, "charge.failed")});
  attempts("evt_pi1", {{1'000, 10, true}, {1'001, 10, false}});
  attempts("evt_cus", {{1'002, 10, true}});
  attempts("evt_pi2", {{1'003, 10, true}});
  attempts("evt_ch", {{1'004, 10, true}});
  auto events_of = [&](const std::vector<std::string>& types, PageRequest page = {}) {
    std::vector<std::string> ids;
    for (const Attempt& attempt : store().list_attempts_for_endpoint("we_a", page, types).items) {
      ids.push_back(attempt.event_id);
    }
    return ids;
  };
  using Ids = std::vector<std::string>;
  EXPECT_EQ(events_of({}), (Ids{"evt_ch", "evt_pi2", "evt_cus", "evt_pi1", "evt_pi1"}));
  EXPECT_EQ(events_of({"payment_intent.*"}), (Ids{"evt_pi2", "evt_pi1", "evt_pi1"}));
  EXPECT_EQ(events_of({"payment_intent.succeeded"}), (Ids{"evt_pi1", "evt_pi1"}));
  EXPECT_EQ(events_of({"customer.created"}), (Ids{"evt_cus"}));
  EXPECT_EQ(events_of({"charge"}), Ids{});
  EXPECT_EQ(events_of({"*"}).size(), 5u);

  // Pages walk the filtered list.
  Page<Attempt> first =
      store().list_attempts_for_endpoint("we_a", {2, "", ""}, {"payment_intent.*"});
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_TRUE(first.has_more);
  Page<Attempt> next = store().list_attempts_for_endpoint(
      "we_a", {2, std::to_string(first.items[1].id), ""}, {"payment_intent.*"});
  ASSERT_EQ(next.items.size(), 1u);
  EXPECT_FALSE(next.has_more);
  EXPECT_EQ(next.items[0].event_id, "evt_pi1");
}

}  // namespace
}  // namespace hookline::testing
