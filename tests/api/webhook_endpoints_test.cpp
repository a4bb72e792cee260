// /v1/webhook_endpoints: Stripe's object shape, validation, scoping by
// account and mode, pagination, and the roll_secret extension.
#include <gtest/gtest.h>

#include "api/resources/caller_access.hpp"
#include "api_test_support.hpp"

namespace hookline::testing {
namespace {

using WebhookEndpointsTest = ApiTest;

std::vector<std::string> keys_of(const json::object& object) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : object) keys.emplace_back(key);
  return keys;
}

TEST_F(WebhookEndpointsTest, CreateAnswersStripesShapeWithTheSecretOnce) {
  const json::object created = ok("POST", "/v1/webhook_endpoints",
                                  R"({"url":"https://example.com/hook",
                                      "enabled_events":["payment_intent.succeeded","charge.failed"],
                                      "description":"orders","metadata":{"team":"payments"},
                                      "api_version":"2026-10-28.endive"})");
  EXPECT_EQ(keys_of(created),
            (std::vector<std::string>{"id", "object", "api_version", "application", "created",
                                      "description", "enabled_events", "livemode", "metadata",
                                      "secret", "status", "url"}));
  EXPECT_EQ(str(created.at("id")).rfind("we_", 0), 0u);
  EXPECT_EQ(created.at("object"), "webhook_endpoint");
  EXPECT_EQ(created.at("api_version"), "2026-10-28.endive");
  EXPECT_TRUE(created.at("application").is_null());
  EXPECT_EQ(created.at("created").as_int64(), clock_.now_seconds());
  EXPECT_EQ(created.at("description"), "orders");
  EXPECT_EQ(created.at("enabled_events"),
            json::parse(R"(["payment_intent.succeeded","charge.failed"])"));
  EXPECT_EQ(created.at("livemode"), false);
  EXPECT_EQ(created.at("metadata"), json::parse(R"({"team":"payments"})"));
  EXPECT_EQ(str(created.at("secret")).rfind("whsec_", 0), 0u);
  EXPECT_EQ(created.at("status"), "enabled");
  EXPECT_EQ(created.at("url"), "https://example.com/hook");

  const json::object retrieved = ok("GET", "/v1/webhook_endpoints/" + str(created.at("id")));
  EXPECT_FALSE(retrieved.contains("secret"));
  json::object without_secret = created;
  without_secret.erase("secret");
  EXPECT_EQ(retrieved, without_secret);
  // The secret given out is the one the store signs with.
  EXPECT_EQ(store().get_endpoint(str(created.at("id")))->secrets.front().secret,
            str(created.at("secret")));
}

TEST_F(WebhookEndpointsTest, ConnectEndpointNamesThePlatformsApplication) {
  const json::object endpoint = create_endpoint("https://example.com/c", R"(["*"])", true);
  EXPECT_EQ(str(endpoint.at("application")), api::application_id(platform()));
  EXPECT_EQ(str(endpoint.at("application")).size(), 3u + 32u);
  EXPECT_TRUE(endpoint.at("api_version").is_null());
  EXPECT_TRUE(endpoint.at("description").is_null());
  EXPECT_TRUE(store().get_endpoint(str(endpoint.at("id")))->connect);
}

TEST_F(WebhookEndpointsTest, OnlyThePlatformCreatesConnectEndpoints) {
  const std::string account = create_account("custom");
  EXPECT_API_ERROR(error("POST", "/v1/webhook_endpoints",
                         R"({"url":"https://example.com","enabled_events":["*"],"connect":"true"})",
                         test_as(account)),
                   403, "permission_error", "", "Only the platform can create Connect");
  // An account endpoint of the connected account is fine, and is its own.
  const json::object own =
      create_endpoint("https://example.com/a", R"(["*"])", false, test_as(account));
  EXPECT_EQ(store().get_endpoint(str(own.at("id")))->account_id, account);
}

TEST_F(WebhookEndpointsTest, RequiredParametersAreNamed) {
  EXPECT_API_ERROR(error("POST", "/v1/webhook_endpoints", R"({"enabled_events":["*"]})"), 400,
                   "invalid_request_error", "url", "Missing required param: url.");
  EXPECT_API_ERROR(error("POST", "/v1/webhook_endpoints", R"({"url":"https://example.com"})"), 400,
                   "invalid_request_error", "enabled_events",
                   "Missing required param: enabled_events.");
  EXPECT_API_ERROR(error("POST", "/v1/webhook_endpoints",
                         R"({"url":"https://example.com","enabled_events":""})"),
                   400, "invalid_request_error", "enabled_events", "Missing required param");
}

TEST_F(WebhookEndpointsTest, UrlMustBeAnAbsoluteHttpUrl) {
  for (const char* url :
       {"example.com/hook", "ftp://example.com/hook", "https://", "not a url", "http:///path"}) {
    json::object params{{"url", url}, {"enabled_events", json::array{"*"}}};
    EXPECT_API_ERROR(error("POST", "/v1/webhook_endpoints", json::serialize(params)), 400,
                     "invalid_request_error", "url", "Invalid URL");
  }
  create_endpoint("http://127.0.0.1:4242/webhook", R"(["*"])");
}

// Issue 10 item 8: "An endpoint URL with port 99999 is accepted."
TEST_F(WebhookEndpointsTest, Issue10UrlWithAPortOutsideOneTo65535IsRefused) {
  const std::string id = str(create_endpoint("https://example.com:443/ok", R"(["*"])").at("id"));
  for (const char* url : {"http://example.com:99999/hook", "http://example.com:0/hook",
                          "https://example.com:65536/", "http://127.0.0.1:4294967297/"}) {
    json::object params{{"url", url}, {"enabled_events", json::array{"*"}}};
    EXPECT_API_ERROR(error("POST", "/v1/webhook_endpoints", json::serialize(params)), 400,
                     "invalid_request_error", "url", "The port must be a number from 1 to 65535");
    EXPECT_API_ERROR(
        error("POST", "/v1/webhook_endpoints/" + id, json::serialize(json::object{{"url", url}})),
        400, "invalid_request_error", "url", "Invalid URL");
  }
  create_endpoint("http://example.com:65535/hook", R"(["*"])");
  create_endpoint("http://example.com:1/hook", R"(["*"])");
}

TEST_F(WebhookEndpointsTest, UnknownEventTypeIsNamedByIndexWithNearestNames) {
  const api::ApiError e = error(
      "POST", "/v1/webhook_endpoints",
      R"({"url":"https://example.com","enabled_events":["charge.failed","payment_intent.succeded"]})");
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.param(), "enabled_events[1]");
  EXPECT_NE(std::string(e.what()).find("Invalid enabled_events[1]"), std::string::npos);
  EXPECT_NE(std::string(e.what()).find("Did you mean payment_intent.succeeded"), std::string::npos)
      << e.what();
  // Nothing was created.
  EXPECT_TRUE(ok("GET", "/v1/webhook_endpoints").at("data").as_array().empty());
}

TEST_F(WebhookEndpointsTest, EnabledEventsAsStripeNodeSendsThem) {
  // stripe-node encodes arrays as enabled_events[0]=…&enabled_events[1]=…
  const json::object endpoint = ok(
      "POST", "/v1/webhook_endpoints",
      R"({"url":"https://example.com","enabled_events":{"1":"charge.failed","0":"customer.created"}})");
  EXPECT_EQ(endpoint.at("enabled_events"), json::parse(R"(["customer.created","charge.failed"])"));
}

TEST_F(WebhookEndpointsTest, BadValuesAreRejectedByName) {
  EXPECT_API_ERROR(error("POST", "/v1/webhook_endpoints",
                         R"({"url":"https://e.com","enabled_events":["*"],"connect":"yes"})"),
                   400, "invalid_request_error", "connect", "Invalid boolean: yes");
  EXPECT_API_ERROR(
      error("POST", "/v1/webhook_endpoints",
            R"({"url":"https://e.com","enabled_events":["*"],"api_version":"latest"})"),
      400, "invalid_request_error", "api_version", "Invalid Stripe API version: latest");
  EXPECT_API_ERROR(error("POST", "/v1/webhook_endpoints",
                         R"({"url":"https://e.com","enabled_events":["*"],"secret":"whsec_x"})"),
                   400, "invalid_request_error", "secret", "Received unknown parameter: secret");
  EXPECT_API_ERROR(error("POST", "/v1/webhook_endpoints",
                         R"({"url":"https://e.com","enabled_events":["*"],"metadata":"x"})"),
                   400, "invalid_request_error", "metadata", "Invalid hash");
}

TEST_F(WebhookEndpointsTest, Issue12Item3ApiVersionIsOneOfStripesPublishedVersions) {
  struct Case {
    const char* version;
    bool accepted;
  };
  const Case cases[] = {
      {"2026-10-28.endive", true}, {"2025-03-31.basil", true},  {"2024-06-20", true},
      {"2011-01-01", true},        {"2099-01-01.zzz", false},   {"2099-01-01", false},
      {"2025-03-31", false},       {"2025-03-31.endive", false}, {"foo", false},
  };
  for (const Case& c : cases) {
    const std::string params = std::string(R"({"url":"https://e.com","enabled_events":["*"],)") +
                               R"("api_version":")" + c.version + R"("})";
    if (c.accepted) {
      EXPECT_EQ(ok("POST", "/v1/webhook_endpoints", params).at("api_version"), c.version);
    } else {
      EXPECT_API_ERROR(error("POST", "/v1/webhook_endpoints", params), 400,
                       "invalid_request_error", "api_version",
                       std::string("Invalid Stripe API version: ") + c.version);
    }
  }
}

TEST_F(WebhookEndpointsTest, UpdateChangesOnlyWhatIsGiven) {
  const json::object created =
      ok("POST", "/v1/webhook_endpoints",
         R"({"url":"https://example.com/a","enabled_events":["*"],"description":"d",
             "metadata":{"a":"1","b":"2"}})");
  const std::string path = "/v1/webhook_endpoints/" + str(created.at("id"));
  const json::object updated =
      ok("POST", path,
         R"({"url":"https://example.com/b","enabled_events":["customer.created"],
             "metadata":{"a":"","c":"3"},"description":""})");
  EXPECT_EQ(updated.at("url"), "https://example.com/b");
  EXPECT_EQ(updated.at("enabled_events"), json::parse(R"(["customer.created"])"));
  EXPECT_EQ(updated.at("metadata"), json::parse(R"({"b":"2","c":"3"})"));
  EXPECT_TRUE(updated.at("description").is_null());
  EXPECT_FALSE(updated.contains("secret"));
  EXPECT_EQ(ok("POST", path, R"({"metadata":""})").at("metadata"), json::object());
}

TEST_F(WebhookEndpointsTest, DisabledTogglesStatusAndReenablingForgetsFailures) {
  const std::string id = str(create_endpoint("https://example.com", R"(["*"])").at("id"));
  const std::string path = "/v1/webhook_endpoints/" + id;
  EXPECT_EQ(ok("POST", path, R"({"disabled":"true"})").at("status"), "disabled");
  EXPECT_EQ(store().get_endpoint(id)->status, EndpointStatus::kDisabled);
  WebhookEndpoint stored = *store().get_endpoint(id);
  stored.failing_since_ms = 1;
  store().put_endpoint(stored);
  EXPECT_EQ(ok("POST", path, R"({"disabled":"false"})").at("status"), "enabled");
  EXPECT_EQ(store().get_endpoint(id)->failing_since_ms, 0);
  EXPECT_API_ERROR(error("POST", path, R"({"disabled":"maybe"})"), 400, "invalid_request_error",
                   "disabled", "Invalid boolean");
  EXPECT_API_ERROR(error("POST", path, R"({"connect":"true"})"), 400, "invalid_request_error",
                   "connect", "Received unknown parameter: connect");
}

TEST_F(WebhookEndpointsTest, DeleteAnswersTheDeletedObject) {
  const std::string id = str(create_endpoint("https://example.com", R"(["*"])").at("id"));
  const json::object deleted = ok("DELETE", "/v1/webhook_endpoints/" + id);
  EXPECT_EQ(json::serialize(deleted),
            R"({"id":")" + id + R"(","object":"webhook_endpoint","deleted":true})");
  EXPECT_FALSE(store().get_endpoint(id).has_value());
  EXPECT_API_ERROR(error("DELETE", "/v1/webhook_endpoints/" + id), 404, "invalid_request_error",
                   "id", "No such webhook endpoint: '" + id + "'");
}

TEST_F(WebhookEndpointsTest, EndpointsAreScopedToTheAccountAndMode) {
  const std::string account = create_account("custom");
  const std::string platform_test = str(create_endpoint("https://e.com/t", R"(["*"])").at("id"));
  const std::string platform_live =
      str(create_endpoint("https://e.com/l", R"(["*"])", false, kLive).at("id"));
  const std::string connected =
      str(create_endpoint("https://e.com/c", R"(["*"])", false, test_as(account)).at("id"));

  // Another account's endpoint, or another mode's, does not exist for the caller.
  for (const auto& [id, as] :
       std::vector<std::pair<std::string, As>>{{platform_test, kLive},
                                               {platform_live, kTest},
                                               {connected, kTest},
                                               {platform_test, test_as(account)}}) {
    EXPECT_API_ERROR(error("GET", "/v1/webhook_endpoints/" + id, "{}", as), 404,
                     "invalid_request_error", "id", "No such webhook endpoint");
    EXPECT_API_ERROR(error("POST", "/v1/webhook_endpoints/" + id, R"({"disabled":"true"})", as),
                     404, "invalid_request_error", "id", "No such webhook endpoint");
    EXPECT_API_ERROR(error("DELETE", "/v1/webhook_endpoints/" + id, "{}", as), 404,
                     "invalid_request_error", "id", "No such webhook endpoint");
  }
  auto listed = [&](const As& as) {
    std::vector<std::string> ids;
    const json::object list = ok("GET", "/v1/webhook_endpoints", "{}", as);
    for (const json::value& item : list.at("data").as_array()) {
      ids.push_back(str(item.at("id")));
    }
    return ids;
  };
  EXPECT_EQ(listed(kTest), std::vector<std::string>{platform_test});
  EXPECT_EQ(listed(kLive), std::vector<std::string>{platform_live});
  EXPECT_EQ(listed(test_as(account)), std::vector<std::string>{connected});
  EXPECT_EQ(str(ok("GET", "/v1/webhook_endpoints/" + connected, "{}", test_as(account)).at("id")),
            connected);
}

TEST_F(WebhookEndpointsTest, ListenSessionEndpointsAreNotPartOfTheApi) {
  WebhookEndpoint session = make_endpoint("we_session", platform(), false, false);
  session.listen_session = true;
  store().put_endpoint(session);
  EXPECT_TRUE(ok("GET", "/v1/webhook_endpoints").at("data").as_array().empty());
  EXPECT_API_ERROR(error("GET", "/v1/webhook_endpoints/we_session"), 404, "invalid_request_error",
                   "id", "No such webhook endpoint");
}

TEST_F(WebhookEndpointsTest, ListPaginatesNewestFirst) {
  std::vector<std::string> ids;  // oldest first
  for (int i = 0; i < 5; ++i) {
    ids.push_back(str(create_endpoint("https://e.com/" + std::to_string(i), R"(["*"])").at("id")));
    clock_.advance_ms(1000);
  }
  const json::object first = ok("GET", "/v1/webhook_endpoints", R"({"limit":"2"})");
  EXPECT_EQ(first.at("object"), "list");
  EXPECT_EQ(first.at("url"), "/v1/webhook_endpoints");
  EXPECT_EQ(first.at("has_more"), true);
  ASSERT_EQ(first.at("data").as_array().size(), 2u);
  EXPECT_EQ(str(first.at("data").as_array()[0].at("id")), ids[4]);
  EXPECT_EQ(str(first.at("data").as_array()[1].at("id")), ids[3]);
  EXPECT_FALSE(first.at("data").as_array()[0].as_object().contains("secret"));

  const json::object rest =
      ok("GET", "/v1/webhook_endpoints", R"({"limit":"10","starting_after":")" + ids[3] + "\"}");
  EXPECT_EQ(rest.at("has_more"), false);
  ASSERT_EQ(rest.at("data").as_array().size(), 3u);
  EXPECT_EQ(str(rest.at("data").as_array()[0].at("id")), ids[2]);

  const json::object before =
      ok("GET", "/v1/webhook_endpoints", R"({"limit":"2","ending_before":")" + ids[1] + "\"}");
  EXPECT_EQ(before.at("has_more"), true);
  ASSERT_EQ(before.at("data").as_array().size(), 2u);
  EXPECT_EQ(str(before.at("data").as_array()[0].at("id")), ids[3]);
  EXPECT_EQ(str(before.at("data").as_array()[1].at("id")), ids[2]);
}

TEST_F(WebhookEndpointsTest, ListValidatesLimitAndCursors) {
  EXPECT_API_ERROR(error("GET", "/v1/webhook_endpoints", R"({"limit":"abc"})"), 400,
                   "invalid_request_error", "limit", "Invalid integer: abc");
  EXPECT_API_ERROR(error("GET", "/v1/webhook_endpoints", R"({"limit":"0"})"), 400,
                   "invalid_request_error", "limit", "greater than or equal to 1");
  EXPECT_API_ERROR(error("GET", "/v1/webhook_endpoints", R"({"limit":"101"})"), 400,
                   "invalid_request_error", "limit", "less than or equal to 100");
  EXPECT_API_ERROR(error("GET", "/v1/webhook_endpoints", R"({"limit":"1.5"})"), 400,
                   "invalid_request_error", "limit", "Invalid integer");
  EXPECT_API_ERROR(error("GET", "/v1/webhook_endpoints", R"({"starting_after":"we_missing"})"), 404,
                   "invalid_request_error", "starting_after",
                   "No such webhook endpoint: 'we_missing'");
  EXPECT_API_ERROR(error("GET", "/v1/webhook_endpoints", R"({"ending_before":"we_missing"})"), 404,
                   "invalid_request_error", "ending_before", "No such webhook endpoint");
  const std::string live = str(create_endpoint("https://e.com", R"(["*"])", false, kLive).at("id"));
  EXPECT_API_ERROR(error("GET", "/v1/webhook_endpoints", R"({"starting_after":")" + live + "\"}"),
                   404, "invalid_request_error", "starting_after", "No such webhook endpoint");
  EXPECT_API_ERROR(
      error("GET", "/v1/webhook_endpoints", R"({"starting_after":"we_a","ending_before":"we_b"})"),
      400, "invalid_request_error", "",
      "Received both starting_after and ending_before parameters. Please pass in only one.");
  EXPECT_API_ERROR(error("GET", "/v1/webhook_endpoints", R"({"type":"x"})"), 400,
                   "invalid_request_error", "type", "Received unknown parameter: type");
  EXPECT_EQ(ok("GET", "/v1/webhook_endpoints", R"({"expand":["data.x"]})").at("object"), "list");
}

TEST_F(WebhookEndpointsTest, RollSecretKeepsTheOldOneUntilItExpires) {
  const json::object created = create_endpoint("https://e.com", R"(["*"])");
  const std::string id = str(created.at("id"));
  const std::string old_secret = str(created.at("secret"));
  const json::object rolled =
      ok("POST", "/v1/webhook_endpoints/" + id + "/roll_secret", R"({"expires_in":"3600"})");
  const std::string new_secret = str(rolled.at("secret"));
  EXPECT_NE(new_secret, old_secret);
  WebhookEndpoint stored = *store().get_endpoint(id);
  ASSERT_EQ(stored.secrets.size(), 2u);
  EXPECT_EQ(stored.secrets[0].secret, new_secret);
  EXPECT_EQ(stored.secrets[0].expires_at_ms, 0);
  EXPECT_EQ(stored.secrets[1].secret, old_secret);
  EXPECT_EQ(stored.secrets[1].expires_at_ms, clock_.now_ms() + 3'600'000);
  EXPECT_FALSE(ok("GET", "/v1/webhook_endpoints/" + id).contains("secret"));

  // Once expired, the old secret is forgotten at the next change.
  clock_.advance_ms(3'600'001);
  ok("POST", "/v1/webhook_endpoints/" + id, R"({"description":"x"})");
  EXPECT_EQ(store().get_endpoint(id)->secrets.size(), 1u);

  // Default grace: 24 h; 0: the old one stops at once.
  ok("POST", "/v1/webhook_endpoints/" + id + "/roll_secret");
  EXPECT_EQ(store().get_endpoint(id)->secrets[1].expires_at_ms, clock_.now_ms() + 86'400'000);
  ok("POST", "/v1/webhook_endpoints/" + id + "/roll_secret", R"({"expires_in":"0"})");
  EXPECT_EQ(store().get_endpoint(id)->secrets.size(), 1u);

  EXPECT_API_ERROR(
      error("POST", "/v1/webhook_endpoints/" + id + "/roll_secret", R"({"expires_in":"86401"})"),
      400, "invalid_request_error", "expires_in", "less than or equal to 86400");
  EXPECT_API_ERROR(error("POST", "/v1/webhook_endpoints/we_nope/roll_secret"), 404,
                   "invalid_request_error", "id", "No such webhook endpoint");
}

}  // namespace
}  // namespace hookline::testing
