#include "delivery/throttled_error_log.hpp"

#include <gtest/gtest.h>

namespace hookline {
namespace {

TEST(ThrottledErrorLogTest, FirstFailureThenOncePerIntervalWithTheCountLeftOut) {
  ThrottledErrorLog log(30'000);
  EXPECT_EQ(log.failure(1'000, "cannot claim"), "cannot claim");
  EXPECT_EQ(log.failure(1'200, "cannot claim"), std::nullopt);
  EXPECT_EQ(log.failure(30'999, "cannot claim"), std::nullopt);
  EXPECT_EQ(log.failure(31'000, "cannot claim"),
            "cannot claim (and 2 more times since the last report)");
  EXPECT_EQ(log.failure(31'200, "cannot claim"), std::nullopt);
  EXPECT_EQ(log.success(), "works again (after 1 more failures)");
}

TEST(ThrottledErrorLogTest, SuccessIsReportedOnlyAfterFailures) {
  ThrottledErrorLog log(30'000);
  EXPECT_EQ(log.success(), std::nullopt);
  EXPECT_EQ(log.failure(5, "x"), "x");
  EXPECT_EQ(log.success(), "works again");
  EXPECT_EQ(log.success(), std::nullopt);
  // A new outage is reported at once, whatever the interval.
  EXPECT_EQ(log.failure(10, "y"), "y");
}

}  // namespace
}  // namespace hookline
