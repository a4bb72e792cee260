// Issue 12 item 1: every boolean parameter of the API takes True/False as
// Stripe does, not only true/false; table-driven over the parameters.
#include <gtest/gtest.h>

#include <functional>

#include "api_test_support.hpp"

namespace hookline::testing {
namespace {

using BooleanParamsTest = ApiTest;

TEST_F(BooleanParamsTest, Issue12Item1EveryBooleanParameterTakesCapitalizedValues) {
  const std::string endpoint = str(create_endpoint("https://example.com/a", R"(["*"])").at("id"));
  struct Case {
    std::string method;
    std::string path;
    std::string params_json;
    std::function<void(const json::object&)> check;
  };
  const std::vector<Case> cases = {
      {"POST", "/v1/webhook_endpoints",
       R"({"url":"https://example.com/c","enabled_events":["*"],"connect":"True"})",
       [](const json::object& made) { EXPECT_FALSE(made.at("application").is_null()); }},
      {"POST", "/v1/webhook_endpoints",
       R"({"url":"https://example.com/d","enabled_events":["*"],"connect":"False"})",
       [](const json::object& made) { EXPECT_TRUE(made.at("application").is_null()); }},
      {"POST", "/v1/webhook_endpoints/" + endpoint, R"({"disabled":"True"})",
       [](const json::object& updated) { EXPECT_EQ(updated.at("status"), "disabled"); }},
      {"POST", "/v1/webhook_endpoints/" + endpoint, R"({"disabled":"False"})",
       [](const json::object& updated) { EXPECT_EQ(updated.at("status"), "enabled"); }},
      {"GET", "/v1/events", R"({"delivery_success":"True"})",
       [](const json::object& list) { EXPECT_EQ(list.at("object"), "list"); }},
      {"GET", "/v1/events", R"({"delivery_success":"False"})",
       [](const json::object& list) { EXPECT_EQ(list.at("object"), "list"); }},
      {"POST", "/v1/accounts",
       R"({"type":"custom","capabilities":{"transfers":{"requested":"True"},
           "card_payments":{"requested":"False"}}})",
       [](const json::object& account) {
         const json::object& capabilities = account.at("capabilities").as_object();
         EXPECT_TRUE(capabilities.contains("transfers"));
         EXPECT_FALSE(capabilities.contains("card_payments"));
       }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.method + " " + c.path + " " + c.params_json);
    c.check(ok(c.method, c.path, c.params_json));
  }
}

}  // namespace
}  // namespace hookline::testing
