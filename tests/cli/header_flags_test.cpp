#include "cli/header_flags.hpp"

#include <gtest/gtest.h>

namespace hookline::cli {
namespace {

TEST(ParseHeaderFlag, CommaSeparatedKeyValuePairs) {
  EXPECT_EQ(parse_header_flag("Key1:Value1, Key2: Value2"),
            (HeaderList{{"Key1", "Value1"}, {"Key2", "Value2"}}));
}

TEST(ParseHeaderFlag, ValueKeepsLaterColonsAndControlCharactersAreDropped) {
  EXPECT_EQ(parse_header_flag("Authorization: Basic a:b"),
            (HeaderList{{"Authorization", "Basic a:b"}}));
  EXPECT_EQ(parse_header_flag("X-A:\x01one\n"), (HeaderList{{"X-A", "one"}}));
}

TEST(ParseHeaderFlag, EmptyItemsAreSkipped) {
  EXPECT_EQ(parse_header_flag(" , X-A:1,"), (HeaderList{{"X-A", "1"}}));
  EXPECT_TRUE(parse_header_flag("").empty());
}

TEST(ParseHeaderFlag, RejectsItemsWithoutAColonOrAName) {
  EXPECT_THROW(parse_header_flag("X-A"), std::invalid_argument);
  EXPECT_THROW(parse_header_flag(":value"), std::invalid_argument);
}

}  // namespace
}  // namespace hookline::cli
