// Found by fuzz/http_request_fuzzer: `DELETE /v1/webhook_endpoints/we_\xE9…`
// was answered with an error body quoting the id's bytes as they were, which
// is not valid JSON (not UTF-8). Error bodies now replace such bytes by U+FFFD.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "api/api_error.hpp"
#include "core/utf8.hpp"

namespace hookline {
namespace {

TEST(ErrorBodyInvalidUtf8, AMissingResourceWithANonUtf8IdIsValidJson) {
  const api::ApiError error = api::ApiError::no_such("webhook endpoint",
                                                     "we_\xE9"
                                                     "1Qx2y3z4");
  boost::system::error_code ec;
  const boost::json::value body = boost::json::parse(error.body(), ec);
  ASSERT_FALSE(ec) << error.body();
  EXPECT_EQ(body.at("error").at("message"),
            "No such webhook endpoint: 'we_\xEF\xBF\xBD"
            "1Qx2y3z4'");
}

TEST(ErrorBodyInvalidUtf8, AParamNameWithANonUtf8ByteIsValidJson) {
  const api::ApiError error = api::ApiError::unknown_parameter("meta\xFF");
  boost::system::error_code ec;
  const boost::json::value body = boost::json::parse(error.body(), ec);
  ASSERT_FALSE(ec) << error.body();
  EXPECT_EQ(body.at("error").at("param"), "meta\xEF\xBF\xBD");
}

// valid_utf8, table-driven: what RFC 3629 allows is kept, every other byte replaced.
TEST(ErrorBodyInvalidUtf8, ValidUtf8KeepsWellFormedTextAndReplacesEachBadByte) {
  const std::string kBad = "\xEF\xBF\xBD";
  const struct {
    std::string in, out;
  } cases[] = {
      {"", ""},
      {"plain ascii", "plain ascii"},
      {"J\xC3\xBCrgen \xF0\x9F\x98\x80 \xE2\x82\xAC",
       "J\xC3\xBCrgen \xF0\x9F\x98\x80 \xE2\x82\xAC"},
      {"\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF"},         // U+10FFFF
      {"a\xE9z", "a" + kBad + "z"},                     // a lone Latin-1 byte
      {"\xC0\xAF", kBad + kBad},                        // overlong '/'
      {"\xE0\x80\xAF", kBad + kBad + kBad},             // overlong, 3 bytes
      {"\xED\xA0\x80", kBad + kBad + kBad},             // a surrogate
      {"\xF4\x90\x80\x80", kBad + kBad + kBad + kBad},  // beyond U+10FFFF
      {"\xE2\x82", kBad + kBad},                        // cut short
      {"\x80", kBad},                                   // a lone continuation byte
      {std::string("nul\0ok", 6), std::string("nul\0ok", 6)},
  };
  for (const auto& c : cases) EXPECT_EQ(valid_utf8(c.in), c.out) << c.in;
}

}  // namespace
}  // namespace hookline
