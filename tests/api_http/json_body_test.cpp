// Issue 10, item 4 (Numbers): a JSON body keeps integers exactly and refuses,
// by field, any number it could not deliver as sent.
#include "api/http/json_body.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <string>

#include "api/api_error.hpp"

namespace hookline::api {
namespace {

namespace json = boost::json;

// The param of the error decode_json_body throws for `body` ("" if none was thrown).
std::string refused_param(const std::string& body) {
  try {
    decode_json_body(body);
  } catch (const ApiError& error) {
    EXPECT_EQ(error.status(), 400);
    EXPECT_EQ(error.type(), "invalid_request_error");
    return error.param().empty() ? "(no param)" : error.param();
  }
  return "";
}

std::string in_data_object(const std::string& field, const std::string& number) {
  return R"({"type":"invoice.created","data":{"object":{")" + field + R"(":)" + number + "}}}";
}

TEST(Issue10Numbers, IntegersAreKeptExactlyAsInt64AndUint64) {
  const std::string body =
      R"({"a":9223372036854775807,"b":-9223372036854775808,"c":18446744073709551615,"d":0})";
  const json::object decoded = decode_json_body(body);
  EXPECT_TRUE(decoded.at("a").is_int64());
  EXPECT_TRUE(decoded.at("b").is_int64());
  EXPECT_TRUE(decoded.at("c").is_uint64());
  EXPECT_EQ(decoded.at("c").as_uint64(), 18446744073709551615ULL);
  EXPECT_EQ(json::serialize(decoded), body);
}

TEST(Issue10Numbers, IntegersBeyondInt64AndUint64AreRefusedByField) {
  EXPECT_EQ(refused_param(in_data_object("amount_due", "123456789012345678901234567890")),
            "data[object][amount_due]");
  EXPECT_EQ(refused_param(in_data_object("amount_due", "18446744073709551616")),
            "data[object][amount_due]");
  EXPECT_EQ(refused_param(in_data_object("amount_due", "-9223372036854775809")),
            "data[object][amount_due]");
}

TEST(Issue10Numbers, InfinityUnderflowAndLostDigitsAreRefusedByField) {
  for (const char* number : {"1e999", "-1e999", "1E400", "1e-999", "0.10000000000000000000001",
                             "9007199254740993.0", "1.00000000000000001",
                             "2.2250738585072011e-308", "1e99999999999999999999",
                             "-1e-99999999999999999999"}) {
    EXPECT_EQ(refused_param(in_data_object("amount_due", number)), "data[object][amount_due]")
        << number;
  }
}

TEST(Issue10Numbers, TheFieldIsNamedThroughArraysAndNestedObjects) {
  EXPECT_EQ(refused_param(R"({"data":{"object":{"lines":[1,{"x":2},{"amount":1e999}]}}})"),
            "data[object][lines][2][amount]");
  EXPECT_EQ(refused_param(R"({"data":{"previous_attributes":{"m":[[1,2],[3,1e999]]}}})"),
            "data[previous_attributes][m][1][1]");
  EXPECT_EQ(refused_param(R"({"n":1e999})"), "n");
}

TEST(Issue10Numbers, DoublesThatADoubleHoldsAsWrittenAreAccepted) {
  for (const char* number : {"0.5", "1.25", "0.1", "-2.75", "2e3", "1E23", "1.0", "-0.0", "0e99999",
                             "1.7976931348623157e308", "5e-324",
                             "9007199254740992.0", "0.30000000000000004", "123.4560000000000"}) {
    const json::object decoded = decode_json_body(in_data_object("amount", number));
    const json::value& value = decoded.at("data").at("object").at("amount");
    ASSERT_TRUE(value.is_double()) << number;
    double expected = 0;
    const std::string text = number;
    std::from_chars(text.data(), text.data() + text.size(), expected);
    EXPECT_EQ(value.as_double(), expected) << number;  // correctly rounded, bit for bit
  }
}

TEST(Issue10Numbers, MalformedJsonAndNonObjectsAreStillRefused) {
  EXPECT_EQ(refused_param(R"({"a":)"), "(no param)");
  EXPECT_EQ(refused_param(R"({"a":1} x)"), "(no param)");
  EXPECT_EQ(refused_param(R"([1,2])"), "(no param)");
  EXPECT_EQ(refused_param(R"({"a":NaN})"), "(no param)");
  EXPECT_EQ(refused_param(R"({"a":Infinity})"), "(no param)");
}

TEST(Issue10Numbers, StringsKeysAndOtherValuesDecodeAsBoostJsonDoes) {
  const std::string body =
      R"({"k\u00e9y":"v\u0001\"","t":true,"f":false,"n":null,"a":[],"o":{},"s":[{"x":[-1]}]})";
  EXPECT_EQ(json::serialize(decode_json_body(body)), json::serialize(json::parse(body)));
}

}  // namespace
}  // namespace hookline::api
