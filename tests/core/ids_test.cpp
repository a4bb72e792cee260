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

TEST(IdsTest, NewEventIdIsPrefixAnd24Alphanumerics) {
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

// Issue 12 item 9: Stripe's id lengths, per prefix.
TEST(IdsTest, IdsHaveStripesLengths) {
  const struct {
    const char* prefix;
    std::size_t length;
  } kCases[] = {{"acct", 16}, {"req", 14}, {"ca", 32}, {"evt", 24}, {"we", 24}, {"whsec", 32}};
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.prefix);
    EXPECT_EQ(id_length(c.prefix), c.length);
    const std::string id = new_id(c.prefix);
    const std::string prefix = std::string(c.prefix) + "_";
    ASSERT_EQ(id.size(), prefix.size() + c.length);
    EXPECT_EQ(id.substr(0, prefix.size()), prefix);
    EXPECT_TRUE(alphanumeric(id.substr(prefix.size())));
  }
  EXPECT_EQ(new_webhook_secret().size(), 6u + 32u);
  EXPECT_EQ(new_sortable_id("evt", 1).size(), 4u + 24u);
}

TEST(IdsTest, DerivedIdIsAFunctionOfItsSeed) {
  const std::string id = derived_id("ca", "acct_1234567890abcdef");
  ASSERT_EQ(id.size(), 3u + 32u);
  EXPECT_EQ(id.substr(0, 3), "ca_");
  EXPECT_TRUE(alphanumeric(id.substr(3)));
  EXPECT_EQ(derived_id("ca", "acct_1234567890abcdef"), id);
  EXPECT_NE(derived_id("ca", "acct_1234567890abcdeg"), id);
}

}  // namespace
}  // namespace hookline
