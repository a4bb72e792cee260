#include "cli/payload_edit.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace hookline::cli {
namespace {

namespace json = boost::json;
using Kind = PayloadEdit::Kind;

json::value sample() {
  return json::parse(R"({"id":"pi_1","amount":2000,"metadata":{},"shipping":null,
      "items":{"data":[{"price":{"unit_amount":500}},{"price":{"unit_amount":700}}]}})");
}

json::value edited(Kind kind, const std::string& text) {
  json::value object = sample();
  apply_payload_edit(object, parse_payload_edit(kind, text));
  return object;
}

TEST(ParsePath, DotsBracketsAndIndexes) {
  struct Case {
    std::string text;
    std::vector<std::string> segments;
  };
  const std::vector<Case> cases = {
      {"amount", {"amount"}},
      {"shipping.address.city", {"shipping", "address", "city"}},
      {"items.data[0].price", {"items", "data", "0", "price"}},
      {"metadata[order]", {"metadata", "order"}},
      {"a[b][0]", {"a", "b", "0"}},
      {"items.data.1.price", {"items", "data", "1", "price"}},
  };
  for (const Case& c : cases) EXPECT_EQ(parse_path(c.text), c.segments) << c.text;
}

TEST(ParsePath, RejectsMalformedPaths) {
  for (const char* text : {"", ".a", "a.", "a..b", "a[0", "a[]", "[0]", "a[0]b"}) {
    EXPECT_THROW(parse_path(text), PayloadEditError) << text;
  }
}

TEST(ParseTypedValue, JsonTypesAndPlainStrings) {
  EXPECT_EQ(parse_typed_value("3000"), json::value(3000));
  EXPECT_EQ(parse_typed_value("12.5"), json::value(12.5));
  EXPECT_EQ(parse_typed_value("true"), json::value(true));
  EXPECT_EQ(parse_typed_value("false"), json::value(false));
  EXPECT_TRUE(parse_typed_value("null").is_null());
  EXPECT_EQ(parse_typed_value(R"({"a":1})"), json::parse(R"({"a":1})"));
  EXPECT_EQ(parse_typed_value(R"("123")"), json::value("123"));
  EXPECT_EQ(parse_typed_value("acct_123"), json::value("acct_123"));
  EXPECT_EQ(parse_typed_value("007"), json::value("007"));  // not JSON: stays a string
  EXPECT_EQ(parse_typed_value(""), json::value(""));
  EXPECT_EQ(parse_typed_value("a=b:c"), json::value("a=b:c"));
}

// Issue 10, item 4 (Numbers): an override is sent as written or not at all.
TEST(ParseTypedValue, Issue10NumbersAreKeptExactlyOrRefused) {
  EXPECT_EQ(parse_typed_value("18446744073709551615"), json::value(18446744073709551615ULL));
  EXPECT_EQ(parse_typed_value("0.1"), json::value(0.1));
  for (const char* text : {"1e999", "123456789012345678901234567890", R"({"a":[1e-999]})"}) {
    EXPECT_THROW(parse_typed_value(text), PayloadEditError) << text;
  }
  try {
    parse_typed_value(R"({"a":[1,1e999]})");
  } catch (const PayloadEditError& error) {
    EXPECT_NE(std::string(error.what()).find("(1e999 at a[1])"), std::string::npos) << error.what();
  }
  EXPECT_EQ(parse_typed_value(R"("1e999")"), json::value("1e999"));  // quoted: a string
}

TEST(ParsePayloadEdit, SplitsFixturePathAndValue) {
  const PayloadEdit edit = parse_payload_edit(Kind::kOverride, "payment_intent:metadata.note=a=b");
  EXPECT_EQ(edit.fixture, "payment_intent");
  EXPECT_EQ(edit.path, (std::vector<std::string>{"metadata", "note"}));
  EXPECT_EQ(edit.value, json::value("a=b"));
  const PayloadEdit removal = parse_payload_edit(Kind::kRemove, "payment_intent:shipping");
  EXPECT_EQ(removal.path, (std::vector<std::string>{"shipping"}));
}

TEST(ParsePayloadEdit, RejectsMissingParts) {
  EXPECT_THROW(parse_payload_edit(Kind::kOverride, "amount=3000"), PayloadEditError);
  EXPECT_THROW(parse_payload_edit(Kind::kOverride, ":amount=3000"), PayloadEditError);
  EXPECT_THROW(parse_payload_edit(Kind::kAdd, "payment_intent:amount"), PayloadEditError);
}

TEST(ApplyPayloadEdit, OverrideReplacesExistingFieldsWithTypedValues) {
  EXPECT_EQ(edited(Kind::kOverride, "pi:amount=3000").at("amount"), json::value(3000));
  EXPECT_EQ(edited(Kind::kOverride, "pi:shipping=false").at("shipping"), json::value(false));
  EXPECT_EQ(edited(Kind::kOverride, "pi:items.data[1].price.unit_amount=9")
                .at_pointer("/items/data/1/price/unit_amount"),
            json::value(9));
}

TEST(ApplyPayloadEdit, OverrideOfAMissingFieldFails) {
  json::value object = sample();
  EXPECT_THROW(apply_payload_edit(object, parse_payload_edit(Kind::kOverride, "pi:amountt=1")),
               PayloadEditError);
  EXPECT_THROW(
      apply_payload_edit(object, parse_payload_edit(Kind::kOverride, "pi:items.data[5]=1")),
      PayloadEditError);
  EXPECT_THROW(apply_payload_edit(object, parse_payload_edit(Kind::kOverride, "pi:amount.x=1")),
               PayloadEditError);
  EXPECT_EQ(object, sample());
}

TEST(ApplyPayloadEdit, AddCreatesIntermediateObjectsAndAppends) {
  const json::value object = edited(Kind::kAdd, "pi:shipping.address.city=Paris");
  EXPECT_EQ(object.at_pointer("/shipping/address/city"), json::value("Paris"));
  EXPECT_EQ(edited(Kind::kAdd, "pi:metadata[order]=6735").at_pointer("/metadata/order"),
            json::value("6735"));
  EXPECT_EQ(edited(Kind::kAdd, "pi:items.data[2]={\"price\":null}")
                .at_pointer("/items/data")
                .as_array()
                .size(),
            3u);
}

TEST(ApplyPayloadEdit, RemoveDeletesFieldsAndElements) {
  EXPECT_FALSE(edited(Kind::kRemove, "pi:amount").as_object().contains("amount"));
  const json::value object = edited(Kind::kRemove, "pi:items.data[0]");
  EXPECT_EQ(object.at_pointer("/items/data").as_array().size(), 1u);
  EXPECT_EQ(object.at_pointer("/items/data/0/price/unit_amount"), json::value(700));
  json::value unchanged = sample();
  EXPECT_THROW(apply_payload_edit(unchanged, parse_payload_edit(Kind::kRemove, "pi:nothing")),
               PayloadEditError);
}

// Issue 13, item 5: an edit's value gets the type of the fixture's field.
TEST(TypedEditValue, TakesTheTypeOfTheFieldItReplaces) {
  const json::value fixture = json::parse(R"({"amount":2000,"confirm":"true","livemode":false,
      "unit_amount":"1500","currency":"usd","shipping":null,"metadata":{"a":"1"},"items":[1]})");
  struct Row {
    Kind kind;
    const char* edit;
    const char* stored;  // the JSON stored, or "" if refused
  };
  const Row rows[] = {
      {Kind::kOverride, "p:amount=3000", "3000"},  // a number stays a number
      {Kind::kOverride, "p:amount=12.5", "1.25E1"},
      {Kind::kOverride, "p:amount=abc", ""},  // refused: the fixture's amount is a number
      {Kind::kOverride, "p:amount=true", ""},
      {Kind::kOverride, R"(p:amount="3000")", ""},   // a JSON string is not a number
      {Kind::kAdd, "p:amount=abc", ""},              // --add on an existing field: the same
      {Kind::kOverride, "p:livemode=true", "true"},  // booleans stay booleans
      {Kind::kOverride, "p:livemode=yes", ""},
      {Kind::kOverride, "p:livemode=0", ""},
      {Kind::kOverride, "p:confirm=false", R"("false")"},  // the fixture writes it as text: text
      {Kind::kOverride, "p:unit_amount=2000", R"("2000")"},
      {Kind::kOverride, "p:currency=eur", R"("eur")"},
      {Kind::kOverride, "p:currency=007", R"("007")"},
      {Kind::kOverride, R"(p:shipping={"name":"J"})", R"({"name":"J"})"},  // null: as JSON reads it
      {Kind::kOverride, "p:shipping=42", "42"},
      {Kind::kOverride, "p:metadata.a=6735", R"("6735")"},  // metadata values are strings
      {Kind::kAdd, "p:metadata.order=6735", R"("6735")"},
      {Kind::kAdd, "p:metadata[flag]=true", R"("true")"},
      {Kind::kAdd, R"(p:metadata.note="rush")", R"("rush")"},
      {Kind::kAdd, "p:new_field=6735", "6735"},  // a new field: as JSON reads it
      {Kind::kAdd, "p:new_field=acct_1", R"("acct_1")"},
      {Kind::kOverride, "p:items[0]=2", "2"},
      {Kind::kOverride, "p:items[0]=x", ""},
  };
  for (const Row& row : rows) {
    json::value object = fixture;
    const PayloadEdit edit = parse_payload_edit(row.kind, row.edit);
    if (std::string_view(row.stored).empty()) {
      EXPECT_THROW(apply_payload_edit(object, edit), PayloadEditError) << row.edit;
      EXPECT_EQ(object, fixture) << row.edit;
      continue;
    }
    const json::value stored = apply_payload_edit(object, edit);
    EXPECT_EQ(json::serialize(stored), row.stored) << row.edit;
  }
}

TEST(TypedEditValue, TheRefusalNamesTheFieldAndItsType) {
  json::value object = json::parse(R"({"amount":2000})");
  try {
    apply_payload_edit(object, parse_payload_edit(Kind::kOverride, "payment_intent:amount=abc"));
    FAIL() << "amount=abc was accepted";
  } catch (const PayloadEditError& error) {
    EXPECT_STREQ(
        error.what(),
        "payment_intent:amount: amount is a number in the fixture (2000); abc is not a number.");
  }
}

}  // namespace
}  // namespace hookline::cli
