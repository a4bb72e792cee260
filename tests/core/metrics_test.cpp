#include "core/metrics.hpp"

#include <gtest/gtest.h>

namespace hookline {
namespace {

TEST(MetricsTest, OutcomeLabelsByStatusOrError) {
  EXPECT_EQ(Metrics::outcome_label(200, ""), "2xx");
  EXPECT_EQ(Metrics::outcome_label(299, ""), "2xx");
  EXPECT_EQ(Metrics::outcome_label(302, ""), "3xx");
  EXPECT_EQ(Metrics::outcome_label(404, ""), "4xx");
  EXPECT_EQ(Metrics::outcome_label(503, ""), "5xx");
  EXPECT_EQ(Metrics::outcome_label(0, "timeout"), "timeout");
  EXPECT_EQ(Metrics::outcome_label(0, "connection_refused"), "error");
  EXPECT_EQ(Metrics::outcome_label(0, ""), "error");
}

TEST(MetricsTest, RendersCountersGaugeAndCumulativeHistogram) {
  Metrics metrics;
  metrics.record_events_created(3);
  metrics.record_attempt(200, "", 800);         // 0.8 ms -> le=0.001
  metrics.record_attempt(500, "", 20'000);      // 20 ms -> le=0.025
  metrics.record_attempt(0, "timeout", 60'000'000);  // beyond the last bucket
  metrics.record_endpoints_disabled(1);
  EXPECT_EQ(metrics.attempts(), 3u);

  const std::string text = metrics.render_prometheus(42);
  EXPECT_NE(text.find("hookline_events_created_total 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("hookline_delivery_attempts_total{outcome=\"2xx\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("hookline_delivery_attempts_total{outcome=\"5xx\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("hookline_delivery_attempts_total{outcome=\"timeout\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("hookline_delivery_attempts_total{outcome=\"4xx\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("hookline_deliveries_pending 42\n"), std::string::npos);
  EXPECT_NE(text.find("hookline_endpoints_disabled_total 1\n"), std::string::npos);
  EXPECT_NE(text.find("hookline_delivery_attempt_seconds_bucket{le=\"0.001\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("hookline_delivery_attempt_seconds_bucket{le=\"0.01\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("hookline_delivery_attempt_seconds_bucket{le=\"0.025\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("hookline_delivery_attempt_seconds_bucket{le=\"30\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("hookline_delivery_attempt_seconds_bucket{le=\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("hookline_delivery_attempt_seconds_count 3\n"), std::string::npos);
}

}  // namespace
}  // namespace hookline
