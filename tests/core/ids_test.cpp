#include "core/ids.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>

namespace hookline {
namespace {

bool alphanumeric(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isalnum(c) != 0; });
}

TEST(IdsTest, NewIdIsPrefixAnd24Alphanumerics) {
  const std::string id = new_id("evt");
  ASSERT_EQ(id.size(), 4u + 24u);
  EXPECT_EQ(id.substr(0, 4), "evt_");
  EXPECT_TRUE(alphanumeric(id.substr(4)));
  EXPECT_NE(new_id("evt"), id);
}

TEST(IdsTest, SortableIdHasTheSameShape) {
  const std::string id = new_sortable_id("evt", 1'767'225'600'123);
  ASSERT_EQ(id.size(), 4u + 24u);
  EXPECT_EQ(id.substr(0, 4), "evt_");
  EXPECT_TRUE(alphanumeric(id.substr(4)));
  // The random part differs between two ids of the same millisecond.
  EXPECT_NE(new_sortable_id("evt", 1'767'225'600'123), id);
}

TEST(IdsTest, SortableIdsOfLaterTimesSortAfter) {
  const int64_t times[] = {0, 1, 61, 62, 3'843, 1'767'225'600'000, 1'767'225'600'001,
                           1'767'225'601'000, 4'102'444'800'000};
  std::string previous;
  for (const int64_t ms : times) {
    const std::string id = new_sortable_id("evt", ms);
    if (!previous.empty()) {
      EXPECT_LT(previous, id) << ms;
    }
    previous = id;
  }
  // The time part is fixed-width base 62: 62 ms is "00000010".
  EXPECT_EQ(new_sortable_id("x", 62).substr(2, 8), "00000010");
  EXPECT_EQ(new_sortable_id("x", -5).substr(2, 8), "00000000");  // clamped
}

}  // namespace
}  // namespace hookline
