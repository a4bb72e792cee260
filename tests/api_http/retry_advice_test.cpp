// Issue 12 item 8: Stripe-Should-Retry by status, and the per-key request
// rate limit of `serve --rate-limit`, on a manual clock.
#include "api/http/retry_advice.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string_view>

#include "api/http/request_rate_limit.hpp"
#include "core/clock.hpp"

namespace hookline::api {
namespace {

TEST(RetryAdviceTest, StripeShouldRetryByStatus) {
  const struct {
    int status;
    std::optional<std::string_view> header;
    const char* why;
  } kCases[] = {
      {200, std::nullopt, "success: nothing to advise"},
      {400, "false", "invalid request: the same request fails again"},
      {401, "false", "bad key"},
      {404, "false", "missing resource"},
      {409, "true", "idempotency key in flight: retry once it is done"},
      {429, "true", "rate limited: retry after backing off"},
      {500, "true", "server error: a retry may succeed"},
      {503, "true", "unavailable"},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(stripe_should_retry(c.status), c.header) << c.why;
  }
}

TEST(RequestRateLimitTest, AdmitsNPerSecondPerKeyThenRefills) {
  ManualClock clock;
  RequestRateLimit limit(3, clock);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limit.admit("sk_test_a")) << i;
  EXPECT_FALSE(limit.admit("sk_test_a"));
  EXPECT_TRUE(limit.admit("sk_live_b"));  // another key has its own bucket
  clock.advance_ms(334);                  // a third of a second: one request
  EXPECT_TRUE(limit.admit("sk_test_a"));
  EXPECT_FALSE(limit.admit("sk_test_a"));
  clock.advance_ms(10'000);  // never more than one second's worth
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limit.admit("sk_test_a")) << i;
  EXPECT_FALSE(limit.admit("sk_test_a"));
}

TEST(RequestRateLimitTest, ZeroMeansNoLimit) {
  ManualClock clock;
  RequestRateLimit limit(0, clock);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limit.admit("sk_test_a"));
}

}  // namespace
}  // namespace hookline::api
