#include "delivery/retry_policy.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>

#include "delivery/dispatcher.hpp"

namespace hookline::delivery {
namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;

double midpoint() { return 0.5; }

RetryPolicy default_policy(double jitter = 0.0, UniformRandom random = midpoint) {
  const DispatcherOptions options;
  return RetryPolicy(options.live_schedule_ms, options.test_schedule_ms, jitter,
                     std::move(random));
}

struct Step {
  int failed_attempt;
  std::optional<int64_t> delay_ms;  // nullopt: final failure
};

// Live mode: up to three days, exponential back-off.
const Step kLiveSteps[] = {
    {1, 1 * kMinute},  {2, 5 * kMinute}, {3, 30 * kMinute}, {4, 2 * kHour},
    {5, 5 * kHour},    {6, 10 * kHour},  {7, 10 * kHour},   {8, 12 * kHour},
    {9, 12 * kHour},   {10, 12 * kHour}, {11, std::nullopt}, {12, std::nullopt},
};

// Test mode: three retries over a few hours.
const Step kTestSteps[] = {
    {1, 30 * kMinute}, {2, 1 * kHour}, {3, 2 * kHour}, {4, std::nullopt}, {5, std::nullopt},
};

TEST(RetryPolicyTest, LiveScheduleEveryStep) {
  const RetryPolicy policy = default_policy();
  for (const Step& step : kLiveSteps) {
    EXPECT_EQ(policy.next_delay_ms(true, step.failed_attempt), step.delay_ms)
        << "after attempt " << step.failed_attempt;
  }
  EXPECT_EQ(policy.max_attempts(true), 11);
}

TEST(RetryPolicyTest, TestScheduleEveryStep) {
  const RetryPolicy policy = default_policy();
  for (const Step& step : kTestSteps) {
    EXPECT_EQ(policy.next_delay_ms(false, step.failed_attempt), step.delay_ms)
        << "after attempt " << step.failed_attempt;
  }
  EXPECT_EQ(policy.max_attempts(false), 4);
}

TEST(RetryPolicyTest, LiveScheduleSpansUnderThreeDays) {
  const RetryPolicy policy = default_policy();
  int64_t total = 0;
  for (int attempt = 1; auto delay = policy.next_delay_ms(true, attempt); ++attempt) total += *delay;
  EXPECT_GT(total, 2 * 24 * kHour);
  EXPECT_LE(total, 3 * 24 * kHour);
}

TEST(RetryPolicyTest, TestScheduleSpansAFewHours) {
  const RetryPolicy policy = default_policy();
  int64_t total = 0;
  for (int attempt = 1; auto delay = policy.next_delay_ms(false, attempt); ++attempt) total += *delay;
  EXPECT_EQ(total, 3 * kHour + 30 * kMinute);
}

TEST(RetryPolicyTest, NextAttemptIsFailureTimePlusDelay) {
  const RetryPolicy policy = default_policy();
  EXPECT_EQ(policy.next_attempt_ms(true, 1, 1'000'000), 1'000'000 + kMinute);
  EXPECT_EQ(policy.next_attempt_ms(false, 3, 5), 5 + 2 * kHour);
  EXPECT_EQ(policy.next_attempt_ms(true, 11, 5), std::nullopt);
  EXPECT_EQ(policy.next_attempt_ms(false, 4, 5), std::nullopt);
}

TEST(RetryPolicyTest, AttemptNumbersBelowOneAreFinal) {
  const RetryPolicy policy = default_policy();
  EXPECT_EQ(policy.next_delay_ms(true, 0), std::nullopt);
  EXPECT_EQ(policy.next_delay_ms(false, -3), std::nullopt);
}

TEST(RetryPolicyTest, EmptyScheduleMeansNoRetry) {
  const RetryPolicy policy({}, {}, 0.1, midpoint);
  EXPECT_EQ(policy.next_delay_ms(true, 1), std::nullopt);
  EXPECT_EQ(policy.next_delay_ms(false, 1), std::nullopt);
  EXPECT_EQ(policy.max_attempts(true), 1);
}

TEST(RetryPolicyTest, SchedulesAreChosenByLivemode) {
  const RetryPolicy policy({100}, {}, 0.0, midpoint);
  EXPECT_EQ(policy.next_delay_ms(true, 1), 100);
  EXPECT_EQ(policy.next_delay_ms(false, 1), std::nullopt);
}

TEST(RetryPolicyTest, JitterBoundsAtTheExtremesOfTheRandomSource) {
  struct Case {
    double random;
    int64_t expected;
  };
  const Case cases[] = {
      {0.0, 54'000},      // 1 - 0.1
      {0.25, 57'000},     // 1 - 0.05
      {0.5, 60'000},      // no change
      {0.75, 63'000},     // 1 + 0.05
      {0.999999, 66'000}, // just under 1 + 0.1
      {1.0, 66'000},      // clamped (a source that breaks its contract)
      {-1.0, 54'000},
  };
  for (const Case& c : cases) {
    const RetryPolicy policy = default_policy(0.1, [&] { return c.random; });
    EXPECT_EQ(policy.next_delay_ms(true, 1), c.expected) << "random " << c.random;
  }
}

TEST(RetryPolicyTest, JitteredDelaysStayWithinBoundsAndSpread) {
  const RetryPolicy policy = default_policy(0.1, default_uniform_random());
  const int64_t base = 10 * kHour;
  int64_t lowest = base * 2, highest = 0;
  for (int i = 0; i < 10'000; ++i) {
    const int64_t delay = *policy.next_delay_ms(true, 6);
    ASSERT_GE(delay, base * 9 / 10);
    ASSERT_LE(delay, base * 11 / 10);
    lowest = std::min(lowest, delay);
    highest = std::max(highest, delay);
  }
  EXPECT_LT(lowest, base * 92 / 100);  // the whole range is used
  EXPECT_GT(highest, base * 108 / 100);
}

TEST(RetryPolicyTest, JitterIsClampedToZeroAndOne) {
  const RetryPolicy none = default_policy(-0.5, [] { return 0.0; });
  EXPECT_EQ(none.next_delay_ms(true, 1), kMinute);
  const RetryPolicy full = default_policy(3.0, [] { return 0.0; });
  EXPECT_EQ(full.next_delay_ms(true, 1), 0);  // factor 1 - 1
  const RetryPolicy nan = default_policy(std::nan(""), [] { return 0.0; });
  EXPECT_EQ(nan.next_delay_ms(true, 1), kMinute);
}

TEST(RetryPolicyTest, NegativeDelaysCountAsZero) {
  const RetryPolicy policy({-5}, {}, 0.0, midpoint);
  EXPECT_EQ(policy.next_delay_ms(true, 1), 0);
}

}  // namespace
}  // namespace hookline::delivery
