#include "api/http/form_decoder.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "api/api_error.hpp"

namespace hookline::api {
namespace {

std::string decoded(std::string_view form) { return boost::json::serialize(decode_form(form)); }

// The ApiError that decoding `form` throws (fails the test if none).
ApiError error_of(std::string_view form, const FormLimits& limits = {}) {
  try {
    decode_form(form, limits);
  } catch (const ApiError& error) {
    return error;
  }
  ADD_FAILURE() << "no error for: " << form;
  return ApiError(0, "", "");
}

struct Case {
  const char* form;
  const char* json;
};

class FormDecoderTable : public ::testing::TestWithParam<Case> {};

TEST_P(FormDecoderTable, DecodesToJson) {
  const Case& c = GetParam();
  EXPECT_EQ(decode_form(c.form), boost::json::parse(c.json).as_object()) << c.form;
}

INSTANTIATE_TEST_SUITE_P(
    Scalars, FormDecoderTable,
    ::testing::Values(Case{"", "{}"}, Case{"a=1", R"({"a":"1"})"},
                      Case{"a=1&b=2", R"({"a":"1","b":"2"})"},
                      Case{"a=1&a=2", R"({"a":"2"})"},  // the last value wins
                      Case{"a=", R"({"a":""})"}, Case{"a", R"({"a":""})"},
                      Case{"a=1&&b=2&", R"({"a":"1","b":"2"})"},  // empty pairs skipped
                      Case{"&&&", "{}"}, Case{"a==b", R"({"a":"=b"})"},
                      Case{"description=hello+world", R"({"description":"hello world"})"},
                      Case{"q=a%2Bb", R"({"q":"a+b"})"}, Case{"q=%20%26%3D", R"({"q":" &="})"},
                      Case{"q=caf%C3%A9", R"({"q":"café"})"},
                      Case{"q=%e2%82%ac", R"({"q":"€"})"},  // lowercase hex
                      Case{"q=%F0%9F%98%80", R"({"q":"😀"})"},
                      Case{"na%6De=v", R"({"name":"v"})"},  // names are decoded too
                      Case{"q=%00", R"({"q":"\u0000"})"}));

INSTANTIATE_TEST_SUITE_P(
    Hashes, FormDecoderTable,
    ::testing::Values(Case{"a[b]=1", R"({"a":{"b":"1"}})"},
                      Case{"a[b][c]=1", R"({"a":{"b":{"c":"1"}}})"},
                      Case{"a[b]=1&a[c]=2", R"({"a":{"b":"1","c":"2"}})"},
                      Case{"a[b][c]=1&a[b][d]=2&a[e]=3", R"({"a":{"b":{"c":"1","d":"2"},"e":"3"}})"},
                      Case{"metadata[order_id]=6735&metadata[note]=",
                           R"({"metadata":{"order_id":"6735","note":""}})"},
                      Case{"metadata=", R"({"metadata":""})"},  // unset all metadata
                      Case{"a[b]=1&a[b]=2", R"({"a":{"b":"2"}})"},
                      Case{"a%5Bb%5D%5Bc%5D=1", R"({"a":{"b":{"c":"1"}}})"},  // stripe-node's qs
                      Case{"a[b+c]=1", R"({"a":{"b c":"1"}})"},
                      Case{"a[01]=x", R"({"a":{"01":"x"}})"},  // leading zero: a key
                      Case{"a[1234567890]=x", R"({"a":{"1234567890":"x"}})"},
                      Case{"a[b]=1&a[0]=2", R"({"a":{"b":"1","0":"2"}})"}));

INSTANTIATE_TEST_SUITE_P(
    Arrays, FormDecoderTable,
    ::testing::Values(Case{"a[]=1&a[]=2", R"({"a":["1","2"]})"},
                      Case{"a[0]=x&a[1]=y", R"({"a":["x","y"]})"},
                      Case{"a[1]=y&a[0]=x", R"({"a":["x","y"]})"},  // any order
                      Case{"a[0]=x&a[5]=y", R"({"a":["x","y"]})"},  // gaps closed
                      Case{"a[0]=x&a[0]=z", R"({"a":["z"]})"},
                      Case{"enabled_events[]=charge.succeeded&enabled_events[]=*",
                           R"({"enabled_events":["charge.succeeded","*"]})"},
                      Case{"items[0][price]=p1&items[0][quantity]=2&items[1][price]=p2",
                           R"({"items":[{"price":"p1","quantity":"2"},{"price":"p2"}]})"},
                      Case{"a[][b]=1&a[][c]=2", R"({"a":[{"b":"1","c":"2"}]})"},
                      Case{"a[][b]=1&a[][b]=2", R"({"a":[{"b":"1"},{"b":"2"}]})"},
                      Case{"a[][b]=1&a[][c]=2&a[][b]=3",
                           R"({"a":[{"b":"1","c":"2"},{"b":"3"}]})"},
                      Case{"a[0][]=1&a[0][]=2&a[1][]=3", R"({"a":[["1","2"],["3"]]})"},
                      Case{"a[0]=x&a[]=y", R"({"a":["x","y"]})"},
                      Case{"a[]=&a[]=", R"({"a":["",""]})"},
                      // An array given a key becomes a hash of its indices.
                      Case{"a[0]=x&a[b]=y", R"({"a":{"0":"x","b":"y"}})"},
                      Case{"expand[]=data.object&limit=3",
                           R"({"expand":["data.object"],"limit":"3"})"}));

TEST(FormDecoder, KeepsInsertionOrderOfKeys) {
  EXPECT_EQ(decoded("z=1&a=2&m[y]=3&m[b]=4"), R"({"z":"1","a":"2","m":{"y":"3","b":"4"}})");
}

TEST(FormDecoder, DecodesSeveralPartsAsOne) {
  const auto params = decode_forms({"a=1&b[c]=2", "a=3&b[d]=4"});
  EXPECT_EQ(boost::json::serialize(params), R"({"a":"3","b":{"c":"2","d":"4"}})");
}

TEST(FormDecoder, RejectsConflictingShapesNamingTheParam) {
  struct Conflict {
    const char* form;
    const char* param;
    const char* shapes;
  };
  for (const Conflict& c : {
           Conflict{"a=1&a[b]=2", "a", "both as a string and as a hash"},
           Conflict{"a[b]=2&a=1", "a", "both as a hash and as a string"},
           Conflict{"a=1&a[]=2", "a", "both as a string and as an array"},
           Conflict{"a[]=1&a=2", "a", "both as an array and as a string"},
           Conflict{"a[b]=1&a[]=2", "a", "both as a hash and as an array"},
           Conflict{"a[b][c]=1&a[b]=2", "a[b]", "both as a hash and as a string"},
           Conflict{"a[b]=1&a[b][c]=2", "a[b]", "both as a string and as a hash"},
           Conflict{"a[0]=1&a[0][x]=2", "a[0]", "both as a string and as a hash"},
           Conflict{"metadata[k]=v&metadata=", "metadata", "both as a hash and as a string"},
       }) {
    const ApiError error = error_of(c.form);
    EXPECT_EQ(error.status(), 400) << c.form;
    EXPECT_EQ(error.type(), "invalid_request_error") << c.form;
    EXPECT_EQ(error.param(), c.param) << c.form;
    EXPECT_NE(std::string(error.what()).find(c.shapes), std::string::npos)
        << c.form << ": " << error.what();
  }
}

TEST(FormDecoder, RejectsInvalidPercentEncoding) {
  for (const char* form : {"a=%", "a=%4", "a=%zz", "a=%G1", "a=1%", "a=ok&b=%x1"}) {
    const ApiError error = error_of(form);
    EXPECT_EQ(error.status(), 400) << form;
    EXPECT_NE(std::string(error.what()).find("Invalid encoding"), std::string::npos) << form;
  }
  EXPECT_EQ(error_of("a=ok&b=%x1").param(), "b");
  EXPECT_EQ(error_of("b%zz=1").param(), "b%zz");
}

TEST(FormDecoder, RejectsInvalidUtf8) {
  for (const char* form : {"a=%FF", "a=%C3", "a=%C0%AF", "a=%ED%A0%80", "a=%F4%90%80%80",
                           "%FF=1", "a=%80"}) {
    EXPECT_EQ(error_of(form).status(), 400) << form;
  }
}

TEST(FormDecoder, RejectsNamesThatAreNotBracketNotation) {
  for (const char* form : {"=1", "[a]=1", "a]=1", "a[b=1", "a[b]c=1", "a[b[c]]=1", "a[b]]=1",
                           "%5Bx%5D=1", "a[b][=1"}) {
    const ApiError error = error_of(form);
    EXPECT_EQ(error.status(), 400) << form;
    EXPECT_NE(std::string(error.what()).find("Invalid parameter name"), std::string::npos)
        << form << ": " << error.what();
  }
  EXPECT_EQ(error_of("a[b=1").param(), "a[b");
}

TEST(FormDecoder, LimitsNestingDepth) {
  std::string name = "a";
  for (int i = 0; i < 31; ++i) name += "[x]";
  EXPECT_NO_THROW(decode_form(name + "=1"));  // 32 segments
  const ApiError error = error_of(name + "[x]=1");
  EXPECT_EQ(error.status(), 400);
  EXPECT_NE(std::string(error.what()).find("nested deeper"), std::string::npos);

  std::string pushes = "a";
  for (int i = 0; i < 1000; ++i) pushes += "[]";
  EXPECT_EQ(error_of(pushes + "=1").status(), 400);
}

TEST(FormDecoder, LimitsTheNumberOfPairs) {
  std::string form;
  for (int i = 0; i < 5000; ++i) form += "k" + std::to_string(i) + "=" + std::to_string(i) + "&";
  const auto params = decode_form(form);
  EXPECT_EQ(params.size(), 5000u);
  EXPECT_EQ(params.at("k4999"), "4999");

  FormLimits small;
  small.max_pairs = 3;
  EXPECT_NO_THROW(decode_form("a=1&b=2&c=3", small));
  const ApiError error = error_of("a=1&b=2&c=3&d=4", small);
  EXPECT_EQ(error.status(), 400);
  EXPECT_NE(std::string(error.what()).find("Too many parameters"), std::string::npos);
}

TEST(FormDecoder, HandlesManyArrayElements) {
  std::string form;
  for (int i = 0; i < 5000; ++i) form += "a[]=" + std::to_string(i) + "&";
  const auto params = decode_form(form);
  ASSERT_TRUE(params.at("a").is_array());
  EXPECT_EQ(params.at("a").as_array().size(), 5000u);
  EXPECT_EQ(params.at("a").as_array()[4321], "4321");
}

TEST(FormDecoder, ShortensHugeNamesInMessages) {
  const std::string name(5000, 'n');
  const ApiError error = error_of(name + "=1&" + name + "[x]=2");
  EXPECT_LT(std::string(error.what()).size(), 400u);
  EXPECT_LT(error.param().size(), 300u);
}

TEST(FormDecoder, KeepsRawBytesThatNeedNoEncoding) {
  // Browsers and SDKs encode these, but a lenient reading costs nothing.
  EXPECT_EQ(decoded("url=https://example.com/a?b"), R"({"url":"https://example.com/a?b"})");
  EXPECT_EQ(decoded("events[]=*"), R"({"events":["*"]})");
}

}  // namespace
}  // namespace hookline::api
