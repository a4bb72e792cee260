// GET /v1/{resource}/{id}: the objects events carry, only as their account and mode.
#include <gtest/gtest.h>

#include "api_test_support.hpp"

namespace hookline::testing {
namespace {

using CarriedObjectsTest = ApiTest;

TEST_F(CarriedObjectsTest, LatestObjectAsItsAccountOnly) {
  const std::string account = create_account("custom");
  const std::string other = create_account("custom");
  publish(
      "payment_intent.created",
      R"({"id":"pi_1","object":"payment_intent","status":"requires_payment_method","amount":100})",
      test_as(account));
  publish("payment_intent.succeeded",
          R"({"id":"pi_1","object":"payment_intent","status":"succeeded","amount":100})",
          test_as(account));
  const api::ApiResponse found = raw("GET", "/v1/payment_intents/pi_1", "{}", test_as(account));
  EXPECT_EQ(found.status, 200);
  EXPECT_EQ(found.body,
            R"({"id":"pi_1","object":"payment_intent","status":"succeeded","amount":100})");

  for (const As& as : {kTest, test_as(other)}) {
    EXPECT_API_ERROR(error("GET", "/v1/payment_intents/pi_1", "{}", as), 404,
                     "invalid_request_error", "id", "No such payment_intent: 'pi_1'");
  }
  EXPECT_API_ERROR(error("GET", "/v1/customers/pi_1", "{}", test_as(account)), 404,
                   "invalid_request_error", "id", "No such customer: 'pi_1'");
  EXPECT_API_ERROR(error("GET", "/v1/charges/ch_missing", "{}", test_as(account)), 404,
                   "invalid_request_error", "id", "No such charge: 'ch_missing'");
  EXPECT_API_ERROR(error("GET", "/v1/payment_intents/pi_1", R"({"foo":"1"})", test_as(account)),
                   400, "invalid_request_error", "foo", "Received unknown parameter: foo");
}

TEST_F(CarriedObjectsTest, ModeMustMatch) {
  publish("customer.created", R"({"id":"cus_live","object":"customer"})", kLive);
  EXPECT_EQ(ok("GET", "/v1/customers/cus_live", "{}", kLive).at("id"), "cus_live");
  EXPECT_API_ERROR(error("GET", "/v1/customers/cus_live"), 404, "invalid_request_error", "id",
                   "No such customer");
}

TEST_F(CarriedObjectsTest, NestedResourcePaths) {
  publish("checkout.session.completed", R"({"id":"cs_test_1","object":"checkout.session"})");
  EXPECT_EQ(ok("GET", "/v1/checkout/sessions/cs_test_1").at("object"), "checkout.session");
  EXPECT_API_ERROR(error("GET", "/v1/checkout/sessions/cs_nope"), 404, "invalid_request_error",
                   "id", "No such checkout.session: 'cs_nope'");
}

TEST_F(CarriedObjectsTest, PersonsAndExternalAccountsLiveUnderTheirAccount) {
  const std::string account = create_account("custom");
  const std::string other = create_account("custom");
  publish("person.updated", R"({"id":"person_1","object":"person","account":")" + account + "\"}",
          test_as(account));
  publish("account.external_account.updated", R"({"id":"ba_1","object":"bank_account"})",
          test_as(account));
  const std::string persons = "/v1/accounts/" + account + "/persons/person_1";
  EXPECT_EQ(ok("GET", persons).at("id"), "person_1");  // the platform
  EXPECT_EQ(ok("GET", persons, "{}", test_as(account)).at("id"), "person_1");
  EXPECT_API_ERROR(error("GET", persons, "{}", test_as(other)), 403, "permission_error", "",
                   "Only the platform");
  EXPECT_API_ERROR(error("GET", "/v1/accounts/" + other + "/persons/person_1"), 404,
                   "invalid_request_error", "id", "No such person: 'person_1'");
  EXPECT_API_ERROR(error("GET", "/v1/accounts/acct_nope/persons/person_1"), 404,
                   "invalid_request_error", "account", "No such account");
  EXPECT_EQ(ok("GET", "/v1/accounts/" + account + "/external_accounts/ba_1").at("object"),
            "bank_account");
}

}  // namespace
}  // namespace hookline::testing
