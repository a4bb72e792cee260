// Strict parameter parsing, table-driven.
#include "api/resources/params.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/api_error.hpp"

namespace hookline::api {
namespace {

namespace json = boost::json;

TEST(ParamsTest, IntegersAreParsedStrictly) {
  for (const char* good : {"0", "7", "-3", "9223372036854775807"}) {
    EXPECT_NO_THROW(parse_integer(json::value(good), "n")) << good;
  }
  EXPECT_EQ(parse_integer(json::value("42"), "n"), 42);
  EXPECT_EQ(parse_integer(json::value(42), "n"), 42);
  for (const char* bad :
       {"", "abc", "1.5", " 1", "1 ", "+1", "0x10", "1e3", "9223372036854775808"}) {
    try {
      parse_integer(json::value(bad), "limit");
      ADD_FAILURE() << "accepted " << bad;
    } catch (const ApiError& e) {
      EXPECT_EQ(e.param(), "limit");
      EXPECT_EQ(std::string(e.what()), std::string("Invalid integer: ") + bad);
    }
  }
}

// Issue 12 item 1: Stripe also takes True/False (Python's str(True)).
TEST(ParamsTest, Issue12Item1BooleansTakeTrueAndFalseInEitherCase) {
  struct Case {
    json::value given;
    std::optional<bool> parsed;  // nullopt: refused
  };
  const Case cases[] = {
      {json::value("true"), true},   {json::value("True"), true},   {json::value(true), true},
      {json::value("false"), false}, {json::value("False"), false}, {json::value(false), false},
      {json::value(""), {}},         {json::value("1"), {}},        {json::value("0"), {}},
      {json::value("yes"), {}},      {json::value("TRUE"), {}},     {json::value("FALSE"), {}},
      {json::value("tRUE"), {}},     {json::value(" true"), {}},    {json::value("true "), {}},
      {json::value(1), {}},          {json::value(nullptr), {}},
  };
  for (const Case& c : cases) {
    const std::string shown = json::serialize(c.given);
    if (c.parsed) {
      EXPECT_EQ(parse_boolean(c.given, "b"), *c.parsed) << shown;
      continue;
    }
    try {
      parse_boolean(c.given, "connect");
      ADD_FAILURE() << "accepted " << shown;
    } catch (const ApiError& e) {
      EXPECT_EQ(e.param(), "connect") << shown;
      EXPECT_EQ(std::string(e.what()).rfind("Invalid boolean: ", 0), 0u) << shown;
    }
  }
}

TEST(ParamsTest, UnknownParametersAreNamedWithTheirPrefix) {
  const json::object given = json::parse(R"({"a":"1","b":{"c":"2","d":"3"}})").as_object();
  Params params(given);
  EXPECT_EQ(params.string("a"), "1");
  Params nested(*params.object("b"), "b");
  EXPECT_EQ(nested.string("c"), "2");
  try {
    nested.reject_unknown();
    ADD_FAILURE();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.param(), "b[d]");
    EXPECT_STREQ(e.what(), "Received unknown parameter: b[d]");
  }
  EXPECT_NO_THROW(params.reject_unknown());
}

TEST(ParamsTest, ListsFromArraysOrIndexedObjects) {
  const json::object given =
      json::parse(R"({"a":["x","y"],"b":{"10":"k","2":"j"},"c":{"x":"1"},"d":"","e":[{"f":"1"}]})")
          .as_object();
  Params params(given);
  EXPECT_EQ(params.string_list("a"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(params.string_list("b"), (std::vector<std::string>{"j", "k"}));
  EXPECT_THROW(params.string_list("c"), ApiError);
  EXPECT_EQ(params.string_list("d"), std::vector<std::string>{});
  try {
    params.string_list("e");
    ADD_FAILURE();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.param(), "e[0]");
  }
  EXPECT_EQ(params.string_list("missing"), std::nullopt);
}

TEST(ParamsTest, WrongKindsAreRejected) {
  const json::object given = json::parse(R"({"s":{"x":"1"},"o":"text","n":"5"})").as_object();
  Params params(given);
  EXPECT_THROW(params.string("s"), ApiError);
  EXPECT_THROW(params.object("o"), ApiError);
  EXPECT_THROW(params.integer_in("n", 6, 10), ApiError);
  EXPECT_EQ(params.integer_in("n", 1, 5), 5);
  EXPECT_THROW(params.required_string("absent"), ApiError);
}

}  // namespace
}  // namespace hookline::api
