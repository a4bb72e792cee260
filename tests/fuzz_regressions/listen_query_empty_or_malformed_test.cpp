// Found by fuzz/listen_frames_fuzzer: parse_listen_query read past the end of
// its view (Boost.URL 1.81's parse_query measures its input with strlen: a
// crash for an empty view without data, the text after the view read as part
// of the query otherwise), and threw boost::system::system_error, which nothing
// in the hub expected, for a string that is not a query.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "listen/listen_protocol.hpp"

namespace hookline::listen {
namespace {

TEST(ListenQueryEmptyOrMalformed, AnEmptyViewWithoutDataMeansEveryEvent) {
  const ListenQuery query = parse_listen_query(std::string_view());
  EXPECT_EQ(query.events, std::vector<std::string>{"*"});
  EXPECT_FALSE(query.live);
}

TEST(ListenQueryEmptyOrMalformed, AnEmptyViewIntoLongerTextIsStillEmpty) {
  const std::string text = "events=charge.captured";
  const ListenQuery query = parse_listen_query(std::string_view(text.data(), 0));
  EXPECT_EQ(query.events, std::vector<std::string>{"*"});
}

TEST(ListenQueryEmptyOrMalformed, AViewIntoLongerTextEndsWhereTheViewEnds) {
  const std::string text = "events=charge.captured,account.updated";
  const ListenQuery query = parse_listen_query(std::string_view(text).substr(0, 22));
  EXPECT_EQ(query.events, std::vector<std::string>{"charge.captured"});
}

TEST(ListenQueryEmptyOrMalformed, NotAQueryStringIsAnInvalidArgumentWithAMessage) {
  for (const char* text : {"events=%zz", "events=a b", "events=%"}) {
    try {
      parse_listen_query(text);
      ADD_FAILURE() << text << " was accepted";
    } catch (const std::invalid_argument& error) {
      EXPECT_NE(std::string(error.what()).find("events="), std::string::npos) << text;
    }
  }
}

TEST(ListenQueryEmptyOrMalformed, WellFormedQueriesStillParse) {
  const ListenQuery query = parse_listen_query("events=account.updated%2C%20person.updated&live=1");
  EXPECT_EQ(query.events, (std::vector<std::string>{"account.updated", "person.updated"}));
  EXPECT_TRUE(query.live);
}

}  // namespace
}  // namespace hookline::listen
