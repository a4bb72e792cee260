#include "cli/fixture_file.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>

#include "cli/fixture_query.hpp"

namespace hookline::cli {
namespace {

namespace json = boost::json;

constexpr const char* kSubscription = R"json({
  "_meta": {"template_version": 0, "aliases": ["other.name"]},
  "fixtures": [
    {"name": "customer", "path": "/v1/customers", "method": "post",
     "params": {"description": "(created by hookline trigger)", "metadata": {"a": "1"}}},
    {"name": "price", "path": "/v1/prices", "method": "post",
     "params": {"unit_amount": 1500, "currency": "usd", "recurring[interval]": "month"}},
    {"name": "subscription", "path": "/v1/subscriptions", "method": "POST",
     "headers": {"Stripe-Account": "${.env:HOOKLINE_TEST_ACCOUNT}"},
     "params": {"customer": "${customer:id}", "items": [{"price": "${price:id}"}]}}
  ]})json";

std::vector<PayloadEdit> edits(
    std::initializer_list<std::pair<PayloadEdit::Kind, const char*>> list) {
  std::vector<PayloadEdit> out;
  for (const auto& [kind, text] : list) out.push_back(parse_payload_edit(kind, text));
  return out;
}

TEST(ParseFixtureFile, StepsAliasesAndFormNamesAsNestedParams) {
  const FixtureFile file = parse_fixture_file(kSubscription, "sub.json");
  ASSERT_EQ(file.steps.size(), 3u);
  EXPECT_EQ(file.aliases, std::vector<std::string>{"other.name"});
  EXPECT_EQ(file.steps[2].method, "POST");
  EXPECT_EQ(file.steps[0].method, "POST");  // "post" as the Stripe CLI writes it
  EXPECT_EQ(file.steps[1].params.at("recurring"), json::parse(R"({"interval":"month"})"));
  EXPECT_EQ(file.steps[2].headers.at("Stripe-Account"),
            json::value("${.env:HOOKLINE_TEST_ACCOUNT}"));
}

// The Stripe CLI's fixtures write lists as forms do (payment_intent.partially_funded:
// "payment_method_types[]": "customer_balance"): `name[]` is a list, not a field named "".
TEST(ParseFixtureFile, EmptyBracketsMakeAList) {
  const FixtureFile file = parse_fixture_file(R"json({"fixtures": [
    {"name": "pi", "path": "/v1/payment_intents", "method": "post",
     "params": {"payment_method_types[]": "customer_balance",
                "payment_method_data[type]": "customer_balance"}}]})json",
                                              "pi.json");
  const json::object& params = file.steps[0].params;
  EXPECT_EQ(params.at("payment_method_types"), json::parse(R"(["customer_balance"])"));
  EXPECT_EQ(params.at("payment_method_data"), json::parse(R"({"type":"customer_balance"})"));
}

TEST(ParseFixtureFile, RefusesWhatItCannotRun) {
  const char* bad[] = {
      "[]",
      R"({"fixtures": {}})",
      R"({"fixtures": [{"path": "/v1/customers", "method": "post"}]})",
      R"({"fixtures": [{"name": "c", "path": "/v1/customers", "method": "put"}]})",
      R"({"_meta": {"template_version": 1}, "fixtures": []})",
  };
  for (const char* text : bad)
    EXPECT_THROW(parse_fixture_file(text, "f.json"), FixtureFileError) << text;
}

TEST(ApplyFixtureEdits, EditTheParamsOfTheNamedStepWithTheirTypes) {
  FixtureFile file = parse_fixture_file(kSubscription, "sub.json");
  apply_fixture_edits(file, edits({{PayloadEdit::Kind::kOverride, "price:unit_amount=2500"},
                                   {PayloadEdit::Kind::kOverride, "price:recurring.interval=year"},
                                   {PayloadEdit::Kind::kAdd, "customer:metadata.order=6735"},
                                   {PayloadEdit::Kind::kRemove, "customer:description"}}));
  EXPECT_EQ(file.steps[1].params.at("unit_amount"), json::value(2500));
  EXPECT_EQ(file.steps[1].params.at("recurring").at("interval"), json::value("year"));
  EXPECT_EQ(file.steps[0].params.at("metadata").at("order"), json::value("6735"));
  EXPECT_FALSE(file.steps[0].params.contains("description"));
}

TEST(ApplyFixtureEdits, AnEditThatDoesNotFitChangesNothingAndSaysWhy) {
  const FixtureFile original = parse_fixture_file(kSubscription, "sub.json");
  FixtureFile file = original;
  try {
    apply_fixture_edits(file, edits({{PayloadEdit::Kind::kAdd, "customer:email=a@b.c"},
                                     {PayloadEdit::Kind::kRemove, "account:email"}}));
    FAIL() << "an edit of an unknown step was accepted";
  } catch (const PayloadEditError& error) {
    EXPECT_NE(std::string(error.what()).find("Valid names: customer, price, subscription."),
              std::string::npos)
        << error.what();
  }
  EXPECT_EQ(file.steps[0].params, original.steps[0].params);
  EXPECT_THROW(
      apply_fixture_edits(file, edits({{PayloadEdit::Kind::kOverride, "price:unit_amount=abc"}})),
      PayloadEditError);
  EXPECT_THROW(check_skip_names(file, {"pricee"}), FixtureFileError);
  EXPECT_NO_THROW(check_skip_names(file, {"price"}));
}

TEST(ResolveReferences, StepAnswersTypedDefaultsAndEnv) {
  StepAnswers answers;
  answers["customer"] =
      json::parse(R"({"id":"cus_1","balance":250,"list":{"data":[{"id":"x_0"},{"id":"x_1"}]}})");
  EXPECT_EQ(resolve_references(json::value("${customer:id}"), answers), json::value("cus_1"));
  EXPECT_EQ(resolve_references(json::value("${customer:balance}"), answers), json::value(250));
  EXPECT_EQ(resolve_references(json::value("/v1/customers/${customer:id}/x"), answers),
            json::value("/v1/customers/cus_1/x"));
  EXPECT_EQ(resolve_references(json::value("${customer:list.data.1.id}"), answers),
            json::value("x_1"));
  EXPECT_EQ(resolve_references(json::value("${customer:nothing|fallback}"), answers),
            json::value("fallback"));
  EXPECT_THROW(resolve_references(json::value("${customer:nothing}"), answers), FixtureFileError);
  EXPECT_THROW(resolve_references(json::value("${custmer:id}"), answers), FixtureFileError);
  ::setenv("HOOKLINE_FIXTURE_TEST_VAR", "acct_env", 1);
  EXPECT_EQ(
      resolve_references(json::parse(R"({"a":["${.env:HOOKLINE_FIXTURE_TEST_VAR}"]})"), answers),
      json::parse(R"({"a":["acct_env"]})"));
  ::unsetenv("HOOKLINE_FIXTURE_TEST_VAR");
  EXPECT_THROW(resolve_references(json::value("${.env:HOOKLINE_FIXTURE_TEST_VAR}"), answers),
               FixtureFileError);
  EXPECT_EQ(resolve_references(json::value("${.env:HOOKLINE_FIXTURE_TEST_VAR|d}"), answers),
            json::value("d"));
  EXPECT_EQ(resolve_references(json::value("${generate-uuid}"), answers).as_string().size(), 36u);
}

TEST(TriggerFixtures, EveryBuiltInFixtureParses) {
  ASSERT_GE(trigger_names().size(), 130u);
  for (const std::string& name : trigger_names()) {
    const std::string_view* text = find_trigger_fixture(name);
    ASSERT_NE(text, nullptr) << name;
    EXPECT_NO_THROW(parse_fixture_file(*text, name)) << name;
  }
  EXPECT_NE(find_trigger_fixture("invoice.payment_succeeded"),
            nullptr);  // an alias of invoice.paid
}

}  // namespace
}  // namespace hookline::cli
