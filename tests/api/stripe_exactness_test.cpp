// Issue 12 (Stripe exactness, second pass), items 4, 5, 7 and 10 on the
// resources: each a table of what Stripe accepts and what it refuses.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api_test_support.hpp"
#include "catalog/account_schema.hpp"
#include "catalog/countries.hpp"
#include "core/ids.hpp"

namespace hookline::testing {
namespace {

class StripeExactnessTest : public ApiTest {
 protected:
  // Ids of the accounts created at `seconds`, one each.
  std::vector<std::string> accounts_at(const std::vector<int64_t>& seconds) {
    std::vector<std::string> ids;
    for (int64_t at : seconds) {
      clock_.set_ms(at * 1000);
      ids.push_back(create_account("custom"));
    }
    return ids;
  }

  std::vector<std::string> listed(const std::string& params_json) {
    std::vector<std::string> ids;
    const json::object page = ok("GET", "/v1/accounts", params_json);
    for (const json::value& account : page.at("data").as_array()) {
      ids.push_back(str(account.at("id")));
    }
    return ids;
  }

  // A `hookline listen` session endpoint of the platform, as the hub makes it.
  WebhookEndpoint listen_session(bool connect, EndpointStatus status = EndpointStatus::kEnabled) {
    WebhookEndpoint endpoint;
    endpoint.id = new_id("we");
    endpoint.account_id = platform();
    endpoint.connect = connect;
    endpoint.listen_session = true;
    endpoint.url = "hookline-listen://account";
    endpoint.enabled_events = {"*"};
    endpoint.status = status;
    endpoint.secrets = {EndpointSecret{new_webhook_secret(), 0}};
    store().put_endpoint(endpoint);
    return endpoint;
  }
};

// Item 4: GET /v1/accounts takes created as events do.
TEST_F(StripeExactnessTest, AccountsListFiltersByCreated) {
  const std::vector<std::string> ids = accounts_at({1000, 2000, 3000});  // oldest first
  const struct {
    const char* params;
    std::vector<std::string> expected;  // newest first
  } kCases[] = {
      {R"({})", {ids[2], ids[1], ids[0]}},
      {R"({"created":"2000"})", {ids[1]}},
      {R"({"created":{"gt":"1000"}})", {ids[2], ids[1]}},
      {R"({"created":{"gte":"1000"}})", {ids[2], ids[1], ids[0]}},
      {R"({"created":{"lt":"3000"}})", {ids[1], ids[0]}},
      {R"({"created":{"lte":"2000","gt":"1000"}})", {ids[1]}},
      {R"({"created":{"gt":"3000"}})", {}},
      {R"({"created":{"gte":"1000"},"limit":"1"})", {ids[2]}},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(listed(c.params), c.expected) << c.params;
  }
  EXPECT_API_ERROR(error("GET", "/v1/accounts", R"({"created":{"after":"1"}})"), 400,
                   "invalid_request_error", "created[after]", "Received unknown parameter");
  EXPECT_API_ERROR(error("GET", "/v1/accounts", R"({"created":"yesterday"})"), 400,
                   "invalid_request_error", "created", "Invalid integer");
}

// Item 4: documented account parameters are kept (groups) or refused by name,
// never as unknown.
TEST_F(StripeExactnessTest, DocumentedAccountParametersAreKeptOrRefusedByName) {
  const json::object grouped =
      ok("POST", "/v1/accounts", R"({"type":"custom","groups":{"payments_pricing":"tier_1"}})");
  EXPECT_EQ(grouped.at("groups"), json::parse(R"({"payments_pricing":"tier_1"})"));
  const std::string id = str(grouped.at("id"));
  EXPECT_TRUE(ok("POST", "/v1/accounts/" + id, R"({"groups":{"payments_pricing":""}})")
                  .at("groups")
                  .at("payments_pricing")
                  .is_null());
  for (const char* params :
       {R"({"external_account":"btok_123"})", R"({"account_token":"ct_123"})",
        R"({"documents":{"bank_account_ownership_verification":{"files":["file_1"]}}})",
        R"({"external_account":{"object":"bank_account","country":"US"}})"}) {
    const json::object given = json::parse(params).as_object();
    const std::string name(given.begin()->key());
    for (const std::string& path : {std::string("/v1/accounts"), "/v1/accounts/" + id}) {
      EXPECT_API_ERROR(error("POST", path, params), 400, "invalid_request_error", name,
                       "`" + name + "` is not supported by hookline");
    }
  }
}

// Item 5: nested form values are stored with the type Stripe's schema gives.
TEST_F(StripeExactnessTest, AccountValuesHaveTheSchemasTypes) {
  const json::object account = ok("POST", "/v1/accounts", R"({"type":"custom",
      "tos_acceptance":{"date":"1700000000","ip":"8.8.8.8"},
      "business_profile":{"annual_revenue":{"amount":"1000","currency":"usd"},
                          "estimated_worker_count":"12","support_address":{"city":"Paris"}},
      "individual":{"dob":{"day":"1","month":"2","year":"1990"},"first_name":"Jenny"},
      "settings":{"card_payments":{"decline_on":{"cvc_failure":"true","avs_failure":"False"}},
                  "payouts":{"schedule":{"delay_days":"7"}}}})");
  const struct {
    std::vector<const char*> path;
    json::value expected;
  } kCases[] = {
      {{"tos_acceptance", "date"}, 1700000000},
      {{"tos_acceptance", "ip"}, "8.8.8.8"},
      {{"tos_acceptance", "user_agent"}, nullptr},
      {{"business_profile", "annual_revenue", "amount"}, 1000},
      {{"business_profile", "annual_revenue", "currency"}, "usd"},
      {{"business_profile", "annual_revenue", "fiscal_year_end"}, nullptr},
      {{"business_profile", "estimated_worker_count"}, 12},
      {{"business_profile", "support_address", "city"}, "Paris"},
      {{"business_profile", "support_address", "line1"}, nullptr},
      {{"business_profile", "support_address", "postal_code"}, nullptr},
      {{"business_profile", "support_url"}, nullptr},
      {{"individual", "dob", "day"}, 1},
      {{"individual", "dob", "month"}, 2},
      {{"individual", "dob", "year"}, 1990},
      {{"individual", "first_name"}, "Jenny"},
      {{"individual", "object"}, "person"},
      {{"individual", "last_name"}, nullptr},
      {{"settings", "card_payments", "decline_on", "cvc_failure"}, true},
      {{"settings", "card_payments", "decline_on", "avs_failure"}, false},
      {{"settings", "payouts", "schedule", "delay_days"}, 7},
      {{"future_requirements", "currently_due"}, json::array()},
      {{"future_requirements", "disabled_reason"}, nullptr},
  };
  for (const auto& c : kCases) {
    const json::value* value = &account.at(c.path[0]);
    std::string dotted = c.path[0];
    for (std::size_t i = 1; i < c.path.size(); ++i) {
      dotted += std::string(".") + c.path[i];
      ASSERT_TRUE(value->is_object()) << dotted;
      value = value->as_object().if_contains(c.path[i]);
      ASSERT_NE(value, nullptr) << dotted;
    }
    EXPECT_EQ(*value, c.expected) << dotted;
    // Every path checked is one of the table generated from stripe-node.
    EXPECT_NE(catalog::find_account_field(dotted), nullptr) << dotted;
  }
  EXPECT_EQ(str(account.at("individual").at("account")), str(account.at("id")));
  // Retrieved, the object is the same.
  EXPECT_EQ(ok("GET", "/v1/accounts/" + str(account.at("id"))), account);

  const struct {
    const char* params;
    const char* param;
    const char* message;
  } kRefused[] = {
      {R"({"tos_acceptance":{"date":"soon"}})", "tos_acceptance[date]", "Invalid integer"},
      {R"({"individual":{"dob":{"day":"1.5"}}})", "individual[dob][day]", "Invalid integer"},
      {R"({"settings":{"card_payments":{"decline_on":{"cvc_failure":"yes"}}}})",
       "settings[card_payments][decline_on][cvc_failure]", "Invalid boolean: yes"},
      {R"({"business_profile":{"annual_revenue":{"amount":"lots"}}})",
       "business_profile[annual_revenue][amount]", "Invalid integer"},
  };
  for (const auto& c : kRefused) {
    EXPECT_API_ERROR(error("POST", "/v1/accounts", c.params), 400, "invalid_request_error", c.param,
                     c.message);
  }
}

// Item 5: objects stored by earlier versions (strings where Stripe has
// integers, no future_requirements) are read with today's types and shape.
TEST_F(StripeExactnessTest, AccountsStoredEarlierAreReadWithTheSchemasTypes) {
  const std::string id = create_account("custom");
  std::optional<Account> stored = store().get_account(id);
  json::object old = json::parse(stored->object_json).as_object();
  old.erase("future_requirements");
  old["tos_acceptance"] = json::parse(R"({"date":"1700000000","ip":null})");
  stored->object_json = json::serialize(old);
  store().put_account(*stored);
  const json::object read = ok("GET", "/v1/accounts/" + id);
  EXPECT_EQ(read.at("tos_acceptance").at("date"), 1700000000);
  EXPECT_TRUE(read.at("tos_acceptance").at("user_agent").is_null());
  EXPECT_EQ(read.at("future_requirements"), read.at("requirements"));
}

// Item 10: country is an ISO 3166-1 alpha-2 code; type and controller are
// not given together.
TEST_F(StripeExactnessTest, CountryAndTypeWithControllerAreChecked) {
  const struct {
    const char* country;
    const char* stored;  // nullptr: refused
  } kCountries[] = {{"US", "US"},     {"de", "DE"},    {"Fr", "FR"},
                    {"GB", "GB"},     {"ZZ", nullptr}, {"UK", nullptr},
                    {"USA", nullptr}, {"1A", nullptr}, {"", nullptr}};
  for (const auto& c : kCountries) {
    const std::string params = R"({"type":"custom","country":")" + std::string(c.country) + "\"}";
    if (c.stored != nullptr) {
      EXPECT_EQ(ok("POST", "/v1/accounts", params).at("country"), c.stored) << c.country;
    } else {
      EXPECT_API_ERROR(error("POST", "/v1/accounts", params), 400, "invalid_request_error",
                       "country", "Country '");
    }
  }
  EXPECT_TRUE(catalog::is_iso_country("AQ"));
  EXPECT_FALSE(catalog::is_iso_country("us"));
  EXPECT_API_ERROR(error("POST", "/v1/accounts",
                         R"({"type":"standard","controller":{"fees":{"payer":"application"}}})"),
                   400, "invalid_request_error", "type",
                   "You cannot specify both `type` and `controller`");
  ok("POST", "/v1/accounts", R"({"controller":{"fees":{"payer":"application"}}})");
  ok("POST", "/v1/accounts", R"({"type":"standard"})");
}

// Item 10: an endpoint's description is at most 5000 characters.
TEST_F(StripeExactnessTest, DescriptionIsAtMost5000Characters) {
  const std::string e_acute = "\xC3\xA9";  // one character, two bytes
  std::string five_thousand_accented;
  for (int i = 0; i < 5000; ++i) five_thousand_accented += e_acute;
  const struct {
    std::string description;
    bool accepted;
  } kCases[] = {{std::string(5000, 'a'), true},
                {five_thousand_accented, true},
                {std::string(5001, 'a'), false},
                {five_thousand_accented + "a", false}};
  const std::string id = str(create_endpoint("https://e.com/d", R"(["*"])").at("id"));
  for (const auto& c : kCases) {
    json::object params{{"url", "https://e.com/x"},
                        {"enabled_events", json::array{"*"}},
                        {"description", c.description}};
    json::object update{{"description", c.description}};
    if (c.accepted) {
      EXPECT_EQ(ok("POST", "/v1/webhook_endpoints", json::serialize(params)).at("description"),
                c.description.c_str());
      ok("POST", "/v1/webhook_endpoints/" + id, json::serialize(update));
    } else {
      EXPECT_API_ERROR(error("POST", "/v1/webhook_endpoints", json::serialize(params)), 400,
                       "invalid_request_error", "description", "must be at most 5000 characters");
      EXPECT_API_ERROR(error("POST", "/v1/webhook_endpoints/" + id, json::serialize(update)), 400,
                       "invalid_request_error", "description", "must be at most 5000 characters");
    }
  }
}

// Item 7: both cursors at once get Stripe's own message, on every list.
TEST_F(StripeExactnessTest, BothCursorsGetStripesMessage) {
  for (const char* path : {"/v1/events", "/v1/accounts", "/v1/webhook_endpoints"}) {
    EXPECT_API_ERROR(error("GET", path, R"({"starting_after":"x_1","ending_before":"x_2"})"), 400,
                     "invalid_request_error", "",
                     "Received both starting_after and ending_before parameters. Please pass in "
                     "only one.");
  }
}

// Item 4: POST /v1/events/{id}/retry with `account` (the Stripe CLI's
// `events resend --account`) and with for_stripecli=true (to the listen sessions).
TEST_F(StripeExactnessTest, RetryTakesAccountAndForStripecli) {
  const std::string connected = create_account("custom");
  const std::string other = create_account("custom");
  const std::string connect_endpoint =
      str(create_endpoint("https://e.com/c", R"(["*"])", true).at("id"));
  const std::string event =
      str(publish("payment_intent.succeeded", R"({"id":"pi_1"})", test_as(connected)).at("id"));
  const std::string own_event =
      str(publish("payment_intent.succeeded", R"({"id":"pi_2"})").at("id"));
  auto manual_deliveries = [&](const std::string& event_id) {
    int count = 0;
    for (const Delivery& delivery : store().list_deliveries(event_id)) count += delivery.manual;
    return count;
  };
  auto retry = [&](const std::string& event_id) { return "/v1/events/" + event_id + "/retry"; };

  // The platform names the event's account as the CLI does, instead of Stripe-Account.
  ok("POST", retry(event),
     R"({"account":")" + connected + R"(","webhook_endpoint":")" + connect_endpoint + "\"}");
  EXPECT_EQ(manual_deliveries(event), 1);
  // Without it, the event is not the platform's own.
  EXPECT_API_ERROR(
      error("POST", retry(event), R"({"webhook_endpoint":")" + connect_endpoint + "\"}"), 404,
      "invalid_request_error", "id", "No such event");
  // Another account's, or an unknown one.
  EXPECT_API_ERROR(
      error("POST", retry(event),
            R"({"account":")" + other + R"(","webhook_endpoint":")" + connect_endpoint + "\"}"),
      404, "invalid_request_error", "id", "No such event");
  EXPECT_API_ERROR(
      error("POST", retry(event),
            R"({"account":"acct_nobody","webhook_endpoint":")" + connect_endpoint + "\"}"),
      404, "invalid_request_error", "account", "No such account");
  // A connected account may only name itself.
  EXPECT_API_ERROR(
      error("POST", retry(event), R"({"account":")" + other + R"(","for_stripecli":"true"})",
            test_as(connected)),
      403, "permission_error", "", "");

  // for_stripecli=true without webhook_endpoint: to the listen sessions the event routes to.
  EXPECT_API_ERROR(error("POST", retry(own_event), R"({"for_stripecli":"true"})"), 400,
                   "invalid_request_error", "for_stripecli", "No `hookline listen` session");
  const WebhookEndpoint session = listen_session(false);
  const WebhookEndpoint connect_session = listen_session(true);
  listen_session(false, EndpointStatus::kDisabled);  // a session that went away
  ok("POST", retry(own_event), R"({"for_stripecli":"true"})");
  EXPECT_EQ(manual_deliveries(own_event), 1);
  ok("POST", retry(event), R"({"for_stripecli":"True","account":")" + connected + "\"}");
  std::vector<std::string> targets;
  for (const Delivery& delivery : store().list_deliveries(event)) {
    if (delivery.manual && delivery.endpoint_id != connect_endpoint) {
      targets.push_back(delivery.endpoint_id);
    }
  }
  EXPECT_EQ(targets, std::vector<std::string>{connect_session.id});
  EXPECT_API_ERROR(error("POST", retry(own_event), R"({})"), 400, "invalid_request_error",
                   "webhook_endpoint", "Missing required param: webhook_endpoint");
}

}  // namespace
}  // namespace hookline::testing
