#include "server/schedule_flag.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace hookline {
namespace {

TEST(ScheduleFlagTest, ParsesSecondsToMilliseconds) {
  EXPECT_EQ(parse_schedule_ms("60,300,1800"), (std::vector<int64_t>{60000, 300000, 1800000}));
  EXPECT_EQ(parse_schedule_ms("1"), (std::vector<int64_t>{1000}));
  EXPECT_EQ(parse_schedule_ms(" 0.05 , 2 "), (std::vector<int64_t>{50, 2000}));
  EXPECT_EQ(parse_schedule_ms("0.0001"), (std::vector<int64_t>{1}));  // never zero
}

TEST(ScheduleFlagTest, RejectsWhatIsNotAPositiveNumberOfSeconds) {
  for (const char* bad : {"", ",", "60,", ",60", "60,,300", "abc", "60s", "-1", "0", "nan",
                          "inf", "1e12", "60;300"}) {
    EXPECT_THROW(parse_schedule_ms(bad), std::invalid_argument) << bad;
  }
}

TEST(ScheduleFlagTest, MessageNamesTheBadElement) {
  try {
    parse_schedule_ms("60,x5,300");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'x5'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace hookline
