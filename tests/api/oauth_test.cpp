// POST /oauth/deauthorize: the event first (so it reaches the Connect
// endpoints), then the account is cut off; errors in OAuth's shape.
#include <gtest/gtest.h>

#include "api/resources/caller_access.hpp"
#include "api_test_support.hpp"

namespace hookline::testing {
namespace {

class OAuthTest : public ApiTest {
 protected:
  json::object oauth(const std::string& params_json, int status, const As& as = kTest) {
    const api::ApiResponse response = raw("POST", "/oauth/deauthorize", params_json, as);
    EXPECT_EQ(response.status, status) << response.body;
    return json::parse(response.body).as_object();
  }
  std::string client_id() const { return api::application_id(platform()); }
};

TEST_F(OAuthTest, DeauthorizePublishesTheEventThenCutsTheAccountOff) {
  const std::string account = create_account("standard");
  const std::string connect = str(create_endpoint("https://e.com/c", R"(["*"])", true).at("id"));
  const std::string own =
      str(create_endpoint("https://e.com/a", R"(["*"])", false, test_as(account)).at("id"));
  const json::object answer =
      oauth(R"({"client_id":")" + client_id() + R"(","stripe_user_id":")" + account + "\"}", 200);
  EXPECT_EQ(str(answer.at("stripe_user_id")), account);

  EventFilter filter;
  filter.account_id = account;
  const Page<StoredEvent> events = store().list_events(filter, PageRequest{});
  ASSERT_EQ(events.items.size(), 1u);
  EXPECT_EQ(str(answer.at("hookline_event_id")), events.items[0].id);
  const json::object event = json::parse(events.items[0].body).as_object();
  EXPECT_EQ(event.at("type"), "account.application.deauthorized");
  EXPECT_EQ(str(event.at("account")), account);
  EXPECT_EQ(str(event.at("data").at("object").at("id")), client_id());
  EXPECT_EQ(event.at("data").at("object").at("object"), "application");
  // Sent to the platform's Connect endpoint only (never to the account's own).
  const std::vector<Delivery> deliveries = store().list_deliveries(events.items[0].id);
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].endpoint_id, connect);
  (void)own;

  EXPECT_TRUE(store().get_account(account)->deauthorized);
  EXPECT_API_ERROR(error("GET", "/v1/accounts/" + account), 403, "permission_error", "id",
                   "Application access may have been revoked");
  EXPECT_TRUE(ok("GET", "/v1/accounts").at("data").as_array().empty());
  // Once is enough.
  EXPECT_EQ(oauth(R"({"stripe_user_id":")" + account + "\"}", 401).at("error"), "invalid_client");
}

// Issue 12 item 11: client_secret is a parameter OAuth calls take (the key
// itself), not an unknown one; a secret that is not the caller's key is refused.
TEST_F(OAuthTest, Issue12Item11ClientSecretIsAcceptedAsTheCallersKey) {
  struct Case {
    std::string client_secret;  // empty: not sent
    As as;
    int status;
    std::string error;  // the OAuth error, when refused
  };
  const std::vector<Case> cases = {
      {"", kTest, 200, ""},
      {identity_.test_secret_key, kTest, 200, ""},
      {identity_.live_secret_key, kLive, 200, ""},
      {identity_.live_secret_key, kTest, 401, "invalid_client"},
      {"sk_test_other", kTest, 401, "invalid_client"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.client_secret + (c.as.livemode ? " live" : " test"));
    const std::string account = create_account("standard", c.as);
    json::object params{{"stripe_user_id", account}};
    if (!c.client_secret.empty()) params["client_secret"] = c.client_secret;
    const json::object answer = oauth(json::serialize(params), c.status, c.as);
    if (c.status == 200) {
      EXPECT_EQ(str(answer.at("stripe_user_id")), account);
      EXPECT_TRUE(store().get_account(account)->deauthorized);
    } else {
      EXPECT_EQ(str(answer.at("error")), c.error);
      EXPECT_FALSE(store().get_account(account)->deauthorized);
    }
  }
}

TEST_F(OAuthTest, ErrorsHaveOAuthsShape) {
  const std::string standard = create_account("standard");
  const json::object wrong_client =
      oauth(R"({"client_id":"ca_other","stripe_user_id":")" + standard + "\"}", 401);
  EXPECT_EQ(wrong_client.at("error"), "invalid_client");
  EXPECT_EQ(wrong_client.at("error_description"), "No such application: 'ca_other'");
  EXPECT_EQ(oauth("{}", 400).at("error"), "invalid_request");
  EXPECT_EQ(oauth(R"({"stripe_user_id":"acct_nope"})", 401).at("error"), "invalid_client");
  EXPECT_EQ(oauth(R"({"stripe_user_id":")" + platform() + "\"}", 401).at("error"),
            "invalid_client");
  // Connected in test mode only: the live key is not connected to it.
  EXPECT_EQ(oauth(R"({"stripe_user_id":")" + standard + "\"}", 401, kLive).at("error"),
            "invalid_client");
  // Custom and Express accounts have no Dashboard from which to deauthorize.
  const std::string custom = create_account("custom");
  const json::object not_standard = oauth(R"({"stripe_user_id":")" + custom + "\"}", 400);
  EXPECT_EQ(not_standard.at("error"), "invalid_request");
  EXPECT_EQ(json::value_to<std::string>(not_standard.at("error_description")),
            custom + " is a custom account: only Standard accounts, which have Dashboard access, "
                     "can deauthorize a platform. Delete the account instead.");
  const std::string express = create_account("express");
  EXPECT_NE(json::value_to<std::string>(oauth(R"({"stripe_user_id":")" + express + "\"}", 400)
                                            .at("error_description"))
                .find(" is an express account"),
            std::string::npos);
  EXPECT_FALSE(store().get_account(custom)->deauthorized);
  EXPECT_FALSE(store().get_account(standard)->deauthorized);

  EXPECT_API_ERROR(error("POST", "/oauth/deauthorize", R"({"stripe_user_id":")" + standard + "\"}",
                         test_as(standard)),
                   403, "permission_error", "", "Only the platform");
  EXPECT_API_ERROR(error("POST", "/oauth/deauthorize", R"({"scope":"read_write"})"), 400,
                   "invalid_request_error", "scope", "Received unknown parameter: scope");
}

// Issue 12 item 9: the application id has Stripe's length (ca_ + 32), and
// the shorter id earlier versions gave it ("ca_" + the account id's
// characters) is still accepted, so stored client ids keep working.
TEST_F(OAuthTest, ApplicationIdHasStripesLengthAndTheEarlierIdStillWorks) {
  EXPECT_EQ(client_id().size(), 3u + 32u);
  EXPECT_EQ(client_id(), api::application_id(platform()));  // stable
  const std::string legacy = "ca_" + platform().substr(5);
  for (const std::string& id : {client_id(), legacy}) {
    const std::string account = create_account("standard");
    oauth(R"({"client_id":")" + id + R"(","stripe_user_id":")" + account + "\"}", 200);
  }
  EXPECT_FALSE(api::is_application_id("ca_" + platform().substr(6), platform()));
}

}  // namespace
}  // namespace hookline::testing
