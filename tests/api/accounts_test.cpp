// /v1/accounts and /v1/account: connected accounts of each type, their
// Stripe-shaped object, account.updated with previous_attributes, and who may
// do what.
#include <gtest/gtest.h>

#include "api_test_support.hpp"

namespace hookline::testing {
namespace {

class AccountsTest : public ApiTest {
 protected:
  std::vector<StoredEvent> events_of(const std::string& account, bool livemode = false) {
    EventFilter filter;
    filter.account_id = account;
    filter.livemode = livemode;
    PageRequest page;
    page.limit = 100;
    return store().list_events(filter, page).items;
  }
};

TEST_F(AccountsTest, CreatesEachTypeConnectedInTheKeysMode) {
  for (const char* type : {"standard", "express", "custom"}) {
    const json::object account =
        ok("POST", "/v1/accounts", R"({"type":")" + std::string(type) + "\"}");
    EXPECT_EQ(str(account.at("type")), type);
    EXPECT_EQ(account.at("object"), "account");
    const std::optional<Account> stored = store().get_account(str(account.at("id")));
    ASSERT_TRUE(stored);
    EXPECT_EQ(to_string(stored->type), type);
    EXPECT_TRUE(stored->connected_test);
    EXPECT_FALSE(stored->connected_live);
    EXPECT_EQ(json::parse(stored->object_json), account);
  }
  const std::optional<Account> live = store().get_account(create_account("custom", kLive));
  EXPECT_TRUE(live->connected_live);
  EXPECT_FALSE(live->connected_test);
  // Stripe sends no event for a new account.
  EXPECT_TRUE(events_of(live->id, true).empty());
  EXPECT_TRUE(events_of(live->id, false).empty());
}

TEST_F(AccountsTest, ObjectHasStripesFieldsInOrder) {
  const json::object account =
      ok("POST", "/v1/accounts",
         R"({"type":"custom","country":"de","email":"jenny@example.com","business_type":"company",
             "metadata":{"internal_id":"42"},"capabilities":{"card_payments":{"requested":"true"},
             "transfers":{"requested":"false"}},"business_profile":{"name":"Jenny's"}})");
  std::vector<std::string> keys;
  for (const auto& [key, value] : account) keys.emplace_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "id", "object", "business_profile", "business_type", "capabilities",
                      "charges_enabled", "controller", "country", "created", "default_currency",
                      "details_submitted", "email", "external_accounts", "future_requirements",
                      "metadata",
                      "payouts_enabled", "requirements", "settings", "tos_acceptance", "type"}));
  EXPECT_EQ(account.at("country"), "DE");
  EXPECT_EQ(account.at("default_currency"), "eur");
  EXPECT_EQ(account.at("email"), "jenny@example.com");
  EXPECT_EQ(account.at("business_type"), "company");
  EXPECT_EQ(account.at("metadata"), json::parse(R"({"internal_id":"42"})"));
  EXPECT_EQ(account.at("capabilities"), json::parse(R"({"card_payments":"inactive"})"));
  EXPECT_EQ(account.at("business_profile").at("name"), "Jenny's");
  // Objects given as parameters take Stripe's place among the keys.
  const json::object with_company =
      ok("POST", "/v1/accounts", R"({"type":"custom","company":{"name":"Rocket Rides"}})");
  std::vector<std::string> company_keys;
  for (const auto& [key, value] : with_company) company_keys.emplace_back(key);
  EXPECT_EQ(company_keys[6], "company");
  EXPECT_EQ(with_company.at("company").at("name"), "Rocket Rides");
  // The rest of the company, as Stripe's type has it (issue 12 item 5).
  EXPECT_TRUE(with_company.at("company").at("phone").is_null());
  EXPECT_EQ(account.at("created").as_int64(), clock_.now_seconds());
  EXPECT_EQ(str(account.at("external_accounts").at("url")),
            "/v1/accounts/" + str(account.at("id")) + "/external_accounts");
  EXPECT_EQ(account.at("controller"),
            json::parse(R"({"fees":{"payer":"application_custom"},"is_controller":true,
                            "losses":{"payments":"application"},
                            "requirement_collection":"application",
                            "stripe_dashboard":{"type":"none"},"type":"application"})"));
  const json::object plain = ok("POST", "/v1/accounts", "{}");
  EXPECT_EQ(plain.at("type"), "standard");
  EXPECT_EQ(plain.at("country"), "US");
  EXPECT_EQ(plain.at("default_currency"), "usd");
  EXPECT_TRUE(plain.at("email").is_null());
  EXPECT_EQ(plain.at("controller"), json::parse(R"({"type":"account"})"));
}

TEST_F(AccountsTest, ControllerSettingsGiveTheTypeAndPlatformControls) {
  struct Case {
    const char* params;
    AccountType type;
    bool platform_controls;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"controller":{"stripe_dashboard":{"type":"none"}}})", AccountType::kCustom, false},
           {R"({"controller":{"stripe_dashboard":{"type":"express"}}})", AccountType::kExpress,
            false},
           {R"({"controller":{"stripe_dashboard":{"type":"full"}}})", AccountType::kStandard,
            false},
           {R"({"controller":{"requirement_collection":"application"}})", AccountType::kStandard,
            true},
           {R"({"controller":{"requirement_collection":"application",
                "fees":{"payer":"application"}}})",
            AccountType::kStandard, true},
           {R"({"controller":{"losses":{"payments":"application"}}})", AccountType::kStandard,
            true},
           {R"({"controller":{"requirement_collection":"stripe"}})",
            AccountType::kStandard, false}}) {
    const json::object account = ok("POST", "/v1/accounts", c.params);
    const std::optional<Account> stored = store().get_account(str(account.at("id")));
    EXPECT_EQ(stored->type, c.type) << c.params;
    EXPECT_EQ(stored->platform_controls, c.platform_controls) << c.params;
    EXPECT_EQ(stored->platform_controlled(),
              c.type != AccountType::kStandard || c.platform_controls);
    if (c.platform_controls) {
      EXPECT_EQ(account.at("controller").at("type"), "application") << c.params;
      EXPECT_EQ(account.at("controller").at("is_controller"), true);
    }
  }
}

TEST_F(AccountsTest, CreateParametersAreChecked) {
  EXPECT_API_ERROR(error("POST", "/v1/accounts", R"({"type":"premium"})"), 400,
                   "invalid_request_error", "type",
                   "Invalid type: must be one of custom, express, standard");
  EXPECT_API_ERROR(error("POST", "/v1/accounts", R"({"controller":{"fees":{"payer":"nobody"}}})"),
                   400, "invalid_request_error", "controller[fees][payer]", "Invalid");
  EXPECT_API_ERROR(error("POST", "/v1/accounts", R"({"controller":{"dashboard":{"type":"none"}}})"),
                   400, "invalid_request_error", "controller[dashboard]",
                   "Received unknown parameter: controller[dashboard]");
  EXPECT_API_ERROR(error("POST", "/v1/accounts", R"({"email":"not-an-email"})"), 400,
                   "invalid_request_error", "email", "Invalid email address");
  EXPECT_API_ERROR(error("POST", "/v1/accounts", R"({"country":"USA"})"), 400,
                   "invalid_request_error", "country", "Country 'USA' is unknown");
  EXPECT_API_ERROR(error("POST", "/v1/accounts", R"({"business_profile":{"colour":"red"}})"), 400,
                   "invalid_request_error", "business_profile[colour]",
                   "Received unknown parameter: business_profile[colour]");
  EXPECT_API_ERROR(
      error("POST", "/v1/accounts", R"({"capabilities":{"transfers":{"requested":"please"}}})"),
      400, "invalid_request_error", "capabilities[transfers][requested]", "Invalid boolean");
  EXPECT_API_ERROR(error("POST", "/v1/accounts", R"({"nickname":"x"})"), 400,
                   "invalid_request_error", "nickname", "Received unknown parameter: nickname");
  EXPECT_TRUE(ok("GET", "/v1/accounts").at("data").as_array().empty());  // nothing created
}

TEST_F(AccountsTest, OnlyThePlatformManagesConnectedAccounts) {
  const std::string account = create_account("custom");
  const std::string other = create_account("custom");
  const As as_account = test_as(account);
  EXPECT_API_ERROR(error("POST", "/v1/accounts", "{}", as_account), 403, "permission_error", "",
                   "Only the platform can create connected accounts");
  EXPECT_API_ERROR(error("GET", "/v1/accounts", "{}", as_account), 403, "permission_error", "",
                   "Only the platform");
  EXPECT_API_ERROR(error("POST", "/v1/accounts/" + account, R"({"email":"a@b.co"})", as_account),
                   403, "permission_error", "", "Only the platform");
  EXPECT_API_ERROR(error("DELETE", "/v1/accounts/" + account, "{}", as_account), 403,
                   "permission_error", "", "Only the platform");
  EXPECT_API_ERROR(error("GET", "/v1/accounts/" + other, "{}", as_account), 403, "permission_error",
                   "", "Only the platform");
  // Its own account it may see, by id or as /v1/account.
  EXPECT_EQ(str(ok("GET", "/v1/accounts/" + account, "{}", as_account).at("id")), account);
  EXPECT_EQ(str(ok("GET", "/v1/account", "{}", as_account).at("id")), account);
}

TEST_F(AccountsTest, PlatformRetrievesItselfAndItsConnectedAccounts) {
  const json::object self = ok("GET", "/v1/account");
  EXPECT_EQ(str(self.at("id")), platform());
  EXPECT_EQ(self.at("object"), "account");
  EXPECT_TRUE(self.contains("charges_enabled"));
  EXPECT_EQ(str(ok("GET", "/v1/accounts/" + platform()).at("id")), platform());
  const std::string account = create_account("express");
  EXPECT_EQ(ok("GET", "/v1/accounts/" + account).at("type"), "express");
  EXPECT_API_ERROR(error("GET", "/v1/accounts/acct_nope"), 404, "invalid_request_error", "id",
                   "No such account: 'acct_nope'");
  // Connected in test mode only: not there for the live key.
  EXPECT_API_ERROR(error("GET", "/v1/accounts/" + account, "{}", kLive), 404,
                   "invalid_request_error", "id", "No such account");
  // Connected in live mode: the test key reaches it too, as on Stripe.
  const std::string live = create_account("custom", kLive);
  EXPECT_EQ(str(ok("GET", "/v1/accounts/" + live).at("id")), live);
  EXPECT_API_ERROR(error("GET", "/v1/accounts/" + account, R"({"limit":"1"})"), 400,
                   "invalid_request_error", "limit", "Received unknown parameter: limit");
}

TEST_F(AccountsTest, UpdateSendsAccountUpdatedWithPreviousAttributes) {
  const std::string id = str(ok("POST", "/v1/accounts",
                                R"({"type":"custom","email":"old@example.com",
                                    "metadata":{"a":"1","b":"2"}})")
                                 .at("id"));
  const std::string connect =
      str(create_endpoint("https://e.com/c", R"(["account.updated"])", true).at("id"));
  clock_.advance_ms(1000);
  const json::object updated = ok("POST", "/v1/accounts/" + id,
                                  R"({"email":"new@example.com","metadata":{"a":"","c":"3"},
             "business_profile":{"name":"Rocket Rides","url":"https://rocket.rides"}})",
                                  As{false, {}, "idem-7"});
  EXPECT_EQ(updated.at("email"), "new@example.com");
  EXPECT_EQ(updated.at("metadata"), json::parse(R"({"b":"2","c":"3"})"));
  EXPECT_EQ(updated.at("business_profile").at("name"), "Rocket Rides");
  EXPECT_EQ(ok("GET", "/v1/accounts/" + id), updated);

  const std::vector<StoredEvent> events = events_of(id);
  ASSERT_EQ(events.size(), 1u);
  const json::object event = json::parse(events[0].body).as_object();
  EXPECT_EQ(event.at("type"), "account.updated");
  EXPECT_EQ(str(event.at("account")), id);
  EXPECT_EQ(event.at("data").at("object"), updated);
  EXPECT_EQ(event.at("data").at("previous_attributes"),
            json::parse(R"({"business_profile":{"name":null,"url":null},
                            "email":"old@example.com","metadata":{"a":"1","c":null}})"));
  EXPECT_EQ(event.at("request").at("idempotency_key"), "idem-7");
  EXPECT_EQ(events[0].pending_webhooks, 1);  // the Connect endpoint
  EXPECT_EQ(store().list_deliveries(events[0].id).front().endpoint_id, connect);

  // Nothing changed: nothing sent.
  ok("POST", "/v1/accounts/" + id, R"({"email":"new@example.com"})");
  EXPECT_EQ(events_of(id).size(), 1u);
}

TEST_F(AccountsTest, UpdateChecksItsParametersAndTarget) {
  const std::string id = create_account("custom");
  EXPECT_API_ERROR(error("POST", "/v1/accounts/" + id, R"({"type":"standard"})"), 400,
                   "invalid_request_error", "type", "Received unknown parameter: type");
  EXPECT_API_ERROR(error("POST", "/v1/accounts/" + id, R"({"email":"nope"})"), 400,
                   "invalid_request_error", "email", "Invalid email address");
  EXPECT_API_ERROR(error("POST", "/v1/accounts/acct_nope", R"({"email":"a@b.co"})"), 404,
                   "invalid_request_error", "id", "No such account");
  EXPECT_API_ERROR(error("POST", "/v1/accounts/" + platform(), R"({"email":"a@b.co"})"), 400,
                   "invalid_request_error", "account", "cannot be updated");
  EXPECT_TRUE(events_of(id).empty());
}

TEST_F(AccountsTest, AnUpdateWhoseEventIsTooLargeChangesNothing) {
  const std::string id = create_account("custom");
  const std::string before = store().get_account(id)->object_json;
  // 200,000 control characters: 600 KB as form data, 1.2 MB once escaped in the event.
  json::object params{{"business_profile", {{"name", std::string(200'000, '\x01')}}}};
  EXPECT_API_ERROR(error("POST", "/v1/accounts/" + id, json::serialize(params)), 400,
                   "invalid_request_error", "data[object]", "an event may hold at most");
  EXPECT_EQ(store().get_account(id)->object_json, before);
  EXPECT_TRUE(events_of(id).empty());
}

TEST_F(AccountsTest, LiveKeyUpdateSendsALiveEvent) {
  const std::string id = create_account("custom", kLive);
  ok("POST", "/v1/accounts/" + id, R"({"metadata":{"x":"1"}})", kLive);
  ASSERT_EQ(events_of(id, true).size(), 1u);
  EXPECT_TRUE(events_of(id, false).empty());
}

TEST_F(AccountsTest, ListShowsTheAccountsOfTheKeysMode) {
  std::vector<std::string> test_ids;
  for (int i = 0; i < 4; ++i) {
    test_ids.push_back(create_account("custom"));
    clock_.advance_ms(1000);
    create_account("express", kLive);  // interleaved, reached by the test key too
    clock_.advance_ms(1000);
  }
  const json::object live_list = ok("GET", "/v1/accounts", R"({"limit":"100"})", kLive);
  EXPECT_EQ(live_list.at("data").as_array().size(), 4u);
  for (const json::value& account : live_list.at("data").as_array()) {
    EXPECT_EQ(account.at("type"), "express");
  }
  EXPECT_EQ(ok("GET", "/v1/accounts", R"({"limit":"100"})").at("data").as_array().size(), 8u);
  // Pages over live accounts skip the test-only ones, exactly.
  const json::object first = ok("GET", "/v1/accounts", R"({"limit":"3"})", kLive);
  EXPECT_EQ(first.at("url"), "/v1/accounts");
  EXPECT_EQ(first.at("has_more"), true);
  const std::string last = str(first.at("data").as_array().back().at("id"));
  const json::object second =
      ok("GET", "/v1/accounts", R"({"limit":"3","starting_after":")" + last + "\"}", kLive);
  EXPECT_EQ(second.at("has_more"), false);
  EXPECT_EQ(second.at("data").as_array().size(), 1u);
  const json::object back = ok(
      "GET", "/v1/accounts",
      R"({"limit":"3","ending_before":")" + str(second.at("data").as_array()[0].at("id")) + "\"}",
      kLive);
  EXPECT_EQ(back.at("data"), first.at("data"));
  EXPECT_API_ERROR(
      error("GET", "/v1/accounts", R"({"starting_after":")" + test_ids[0] + "\"}", kLive), 404,
      "invalid_request_error", "starting_after", "No such account");
  EXPECT_API_ERROR(error("GET", "/v1/accounts", R"({"starting_after":")" + platform() + "\"}"), 404,
                   "invalid_request_error", "starting_after", "No such account");
}

TEST_F(AccountsTest, DeleteRemovesTheAccountAndItsEndpoints) {
  const std::string id = create_account("custom");
  const std::string endpoint =
      str(create_endpoint("https://e.com", R"(["*"])", false, test_as(id)).at("id"));
  const json::object deleted = ok("DELETE", "/v1/accounts/" + id);
  EXPECT_EQ(json::serialize(deleted),
            R"({"id":")" + id + R"(","object":"account","deleted":true})");
  EXPECT_FALSE(store().get_account(id));
  EXPECT_FALSE(store().get_endpoint(endpoint));
  EXPECT_API_ERROR(error("DELETE", "/v1/accounts/" + id), 404, "invalid_request_error", "id",
                   "No such account");
  EXPECT_API_ERROR(error("DELETE", "/v1/accounts/" + platform()), 400, "invalid_request_error",
                   "account", "cannot be deleted");
}

}  // namespace
}  // namespace hookline::testing
