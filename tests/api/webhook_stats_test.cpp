// Issue 14, the API calls the dashboard needs: GET /v1/webhook_stats (events
// and attempts per bucket, success rate, p50/p95 latency, per endpoint) and
// GET /v1/webhook_endpoints/{id}/secret (reveal, audited in the log).
#include <gtest/gtest.h>

#include "api/resources/activity_buckets.hpp"
#include "api_test_support.hpp"

namespace hookline::testing {
namespace {

class WebhookStatsTest : public ApiTest {
 protected:
  // Attempts every due delivery, with this outcome and latency.
  void attempt_all(bool success, int64_t latency_us) {
    std::vector<DeliveryOutcome> outcomes;
    for (const DueDelivery& due : store().claim_due(clock_.now_ms(), clock_.now_ms() + 1000, 100)) {
      DeliveryOutcome outcome;
      outcome.delivery_id = due.delivery.id;
      outcome.event_id = due.delivery.event_id;
      outcome.endpoint_id = due.delivery.endpoint_id;
      Attempt attempt;
      attempt.at_ms = clock_.now_ms();
      attempt.http_status = success ? 200 : 500;
      attempt.latency_us = latency_us;
      attempt.success = success;
      outcome.attempt = attempt;
      outcome.new_state = success ? DeliveryState::kSucceeded : DeliveryState::kPending;
      outcome.next_attempt_ms = clock_.now_ms() + 60'000;
      outcomes.push_back(outcome);
    }
    store().record_outcomes(outcomes, clock_.now_ms(), 3LL * 86'400'000);
  }
  std::string publish_id(const std::string& type, const As& as = kTest) {
    return str(publish(type, R"({"id":"cus_1","object":"customer"})", as).at("id"));
  }
};

TEST_F(WebhookStatsTest, AnHourOfEventsAndAttemptsPerMinuteWithSuccessAndLatency) {
  clock_.set_ms(1'767'225'600'000);  // a whole minute
  const std::string a = str(create_endpoint("https://e.com/a", R"(["*"])").at("id"));
  const std::string account = create_account("express");
  const std::string connect = str(create_endpoint("https://e.com/c", R"(["*"])", true).at("id"));
  publish_id("customer.created");
  attempt_all(false, 40'000);  // to a: a 500 in 40 ms
  clock_.advance_ms(60'000);
  publish_id("customer.created", test_as(account));  // to connect
  attempt_all(true, 10'000);                         // a's retry and connect: 10 ms each
  publish_id("customer.created", kLive);             // another mode: not counted

  const json::object stats = ok("GET", "/v1/webhook_stats");
  EXPECT_EQ(str(stats.at("object")), "webhook_stats");
  EXPECT_EQ(str(stats.at("window")), "hour");
  EXPECT_EQ(stats.at("bucket_seconds"), 60);
  const json::array& buckets = stats.at("buckets").as_array();
  ASSERT_EQ(buckets.size(), 60u);
  const json::object& last = buckets[59].as_object();
  const json::object& before = buckets[58].as_object();
  EXPECT_EQ(last.at("start").as_int64(), clock_.now_ms() / 1000);
  EXPECT_EQ(before.at("events"), 1);
  EXPECT_EQ(before.at("attempts"), 1);
  EXPECT_EQ(before.at("succeeded"), 0);
  EXPECT_EQ(before.at("latency_p50_ms").as_double(), 40.0);
  EXPECT_EQ(last.at("events"), 1);
  EXPECT_EQ(last.at("attempts"), 2);
  EXPECT_EQ(last.at("success_rate").as_double(), 1.0);
  EXPECT_TRUE(buckets[0].as_object().at("latency_p95_ms").is_null());

  const json::object& totals = stats.at("totals").as_object();
  EXPECT_EQ(totals.at("events"), 2);
  EXPECT_EQ(totals.at("attempts"), 3);
  EXPECT_EQ(totals.at("succeeded"), 2);
  EXPECT_NEAR(totals.at("success_rate").as_double(), 2.0 / 3, 1e-9);
  EXPECT_EQ(totals.at("latency_p50_ms").as_double(), 10.0);
  EXPECT_EQ(totals.at("latency_p95_ms").as_double(), 40.0);
  EXPECT_EQ(stats.at("pending_webhooks"), 0);

  const json::array& endpoints = stats.at("endpoints").as_array();
  ASSERT_EQ(endpoints.size(), 2u);
  for (const json::value& value : endpoints) {
    const json::object& entry = value.as_object();
    EXPECT_EQ(str(entry.at("status")), "enabled");
    EXPECT_TRUE(entry.at("failing_since").is_null());  // each one's last attempt succeeded
    if (str(entry.at("webhook_endpoint")) == a) {
      EXPECT_EQ(entry.at("attempts"), 2);
      EXPECT_EQ(entry.at("success_rate").as_double(), 0.5);
    } else {
      EXPECT_EQ(str(entry.at("webhook_endpoint")), connect);
      EXPECT_EQ(entry.at("attempts"), 1);
    }
  }
}

TEST_F(WebhookStatsTest, AFailingEndpointSaysSinceWhenAndPendingWebhooksAreCounted) {
  const std::string a = str(create_endpoint("https://e.com/a", R"(["*"])").at("id"));
  publish_id("customer.created");
  attempt_all(false, 5'000);
  const json::object stats = ok("GET", "/v1/webhook_stats", R"({"window":"day"})");
  EXPECT_EQ(stats.at("bucket_seconds"), 3600);
  EXPECT_EQ(stats.at("buckets").as_array().size(), 24u);
  EXPECT_EQ(stats.at("pending_webhooks"), 1);
  const json::object& entry = stats.at("endpoints").as_array()[0].as_object();
  EXPECT_EQ(entry.at("failing_since").as_int64(), clock_.now_ms() / 1000);
  EXPECT_TRUE(entry.at("disables_at").is_null());  // no dispatcher in this fixture

  // A connected account sees its own events only; the live key its own mode.
  const std::string account = create_account("custom");
  const json::object theirs = ok("GET", "/v1/webhook_stats", "{}", test_as(account));
  EXPECT_EQ(theirs.at("totals").as_object().at("events"), 0);
  EXPECT_TRUE(theirs.at("endpoints").as_array().empty());
  const json::object live = ok("GET", "/v1/webhook_stats", "{}", kLive);
  EXPECT_EQ(live.at("totals").as_object().at("attempts"), 0);
  EXPECT_EQ(live.at("livemode"), true);
}

TEST_F(WebhookStatsTest, BadWindowAndUnknownParametersAreNamed) {
  EXPECT_API_ERROR(error("GET", "/v1/webhook_stats", R"({"window":"week"})"), 400,
                   "invalid_request_error", "window", "hour or day");
  EXPECT_API_ERROR(error("GET", "/v1/webhook_stats", R"({"colour":"red"})"), 400,
                   "invalid_request_error", "colour", "colour");
}

TEST_F(WebhookStatsTest, RevealSecretAnswersTheCurrentSecretToItsOwnerOnly) {
  const json::object created = create_endpoint("https://e.com/a", R"(["*"])");
  const std::string id = str(created.at("id"));
  const json::object revealed = ok("GET", "/v1/webhook_endpoints/" + id + "/secret");
  EXPECT_EQ(str(revealed.at("object")), "webhook_endpoint_secret");
  EXPECT_EQ(str(revealed.at("webhook_endpoint")), id);
  EXPECT_EQ(revealed.at("secret"), created.at("secret"));

  const json::object rolled = ok("POST", "/v1/webhook_endpoints/" + id + "/roll_secret");
  EXPECT_EQ(ok("GET", "/v1/webhook_endpoints/" + id + "/secret").at("secret"), rolled.at("secret"));
  EXPECT_API_ERROR(error("GET", "/v1/webhook_endpoints/" + id + "/secret", "{}", kLive), 404,
                   "invalid_request_error", "id", "No such webhook endpoint");
  const std::string account = create_account("custom");
  EXPECT_API_ERROR(error("GET", "/v1/webhook_endpoints/" + id + "/secret", "{}", test_as(account)),
                   404, "invalid_request_error", "id", "No such webhook endpoint");
}

// The arithmetic, table-driven.
TEST(ActivityBuckets, WindowsEndWithTheBucketThatHoldsNow) {
  const auto hour = api::stats_window("hour", 10'000);
  ASSERT_TRUE(hour);
  EXPECT_EQ(hour->bucket_seconds, 60);
  EXPECT_EQ(hour->since, 9960 - 59 * 60);
  const auto day = api::stats_window("day", 100'000);
  ASSERT_TRUE(day);
  EXPECT_EQ(day->since, 97'200 - 23 * 3600);
  EXPECT_FALSE(api::stats_window("week", 1));
}

// A fold of histogram cells: (bucket, latency class in µs, attempts, succeeded).
api::AttemptFold fold_of(const std::vector<AttemptHistogramCell>& cells) {
  api::AttemptFold fold;
  for (const AttemptHistogramCell& cell : cells) fold.add(cell);
  return fold;
}

TEST(ActivityBuckets, NearestRankPercentilesReadFromTheLatencyHistogram) {
  struct Case {
    std::vector<AttemptHistogramCell> cells;
    double p;
    std::optional<double> ms;
  };
  const Case cases[] = {
      {{}, 50, std::nullopt},
      {{{0, 7'000, 1, 1}}, 50, 7.0},  // 7000 µs
      {{{0, 7'000, 1, 1}}, 95, 7.0},
      {{{0, 1'000, 1, 1}, {0, 2'000, 1, 1}, {0, 3'000, 1, 1}, {0, 4'000, 1, 1}}, 50, 2.0},
      {{{0, 4'000, 1, 1}, {0, 1'000, 1, 1}, {0, 3'000, 1, 1}, {0, 2'000, 1, 1}}, 95, 4.0},
      {{{0, 1'000, 9, 9}, {1, 10'000, 1, 1}}, 90, 1.0},  // 9 × 1 ms, 1 × 10 ms
      {{{0, 1'000, 9, 9}, {1, 10'000, 1, 1}}, 95, 10.0},
      {{{0, 1'200, 3, 3}}, 50, 1.2},                // 1200–1299 µs: the class's floor
      {{{0, 7, 1, 1}, {0, 990, 1, 1}}, 50, 0.007},  // 7 µs, then 990–999 µs
      {{{0, 7, 1, 1}, {0, 990, 1, 1}}, 95, 0.99},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(fold_of(c.cells).latency_percentile_ms(c.p), c.ms) << c.p;
  }
}

TEST(ActivityBuckets, CellsAddUpToCountsAndASuccessRate) {
  const api::AttemptFold fold = fold_of({{0, 1'200, 2, 1}, {2, 1'200, 1, 1}, {2, 30'000, 1, 0}});
  EXPECT_EQ(fold.attempts, 4);
  EXPECT_EQ(fold.succeeded, 2);
  EXPECT_EQ(fold.success_rate(), 0.5);
  EXPECT_EQ(fold.attempts_by_latency_class.at(1'200), 3);
  EXPECT_EQ(fold_of({}).success_rate(), std::nullopt);
}

}  // namespace
}  // namespace hookline::testing
