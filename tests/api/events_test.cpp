// /v1/events: retrieve and list as the account the events happened on, the
// list filters, pagination, retry (a manual resend) and the attempts log.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>

#include "api_test_support.hpp"

namespace hookline::testing {
namespace {

class EventsTest : public ApiTest {
 protected:
  std::vector<std::string> listed_ids(const std::string& params_json, const As& as = kTest) {
    std::vector<std::string> ids;
    const json::object list = ok("GET", "/v1/events", params_json, as);
    for (const json::value& event : list.at("data").as_array()) {
      ids.push_back(str(event.at("id")));
    }
    return ids;
  }

  std::string publish_id(const std::string& type, const As& as = kTest) {
    return str(publish(type, R"({"id":"obj_1","object":"thing"})", as).at("id"));
  }

  // Records one attempt of each pending delivery (success or a 500).
  void attempt_all(bool success) {
    std::vector<DeliveryOutcome> outcomes;
    for (const DueDelivery& due : store().claim_due(clock_.now_ms(), clock_.now_ms() + 1000, 100)) {
      DeliveryOutcome outcome;
      outcome.delivery_id = due.delivery.id;
      outcome.event_id = due.delivery.event_id;
      outcome.endpoint_id = due.delivery.endpoint_id;
      Attempt attempt;
      attempt.at_ms = clock_.now_ms();
      attempt.http_status = success ? 200 : 500;
      attempt.latency_us = 12'345;
      attempt.response_excerpt = success ? "ok" : "boom";
      attempt.success = success;
      outcome.attempt = attempt;
      outcome.new_state = success ? DeliveryState::kSucceeded : DeliveryState::kFailed;
      outcome.manual = due.delivery.manual;
      outcomes.push_back(outcome);
    }
    store().record_outcomes(outcomes, clock_.now_ms(), 3LL * 86'400'000);
  }
};

TEST_F(EventsTest, RetrieveAnswersTheStoredBodyWithTheCurrentPendingCount) {
  const std::string endpoint = str(create_endpoint("https://e.com", R"(["*"])").at("id"));
  const json::object published =
      publish("customer.created", R"({"id":"cus_1","object":"customer"})");
  EXPECT_EQ(published.at("pending_webhooks"), 1);
  const std::string id = str(published.at("id"));
  const std::string body = store().get_event(id)->body;
  EXPECT_EQ(raw("GET", "/v1/events/" + id).body, body);

  attempt_all(true);
  const json::object after = ok("GET", "/v1/events/" + id);
  EXPECT_EQ(after.at("pending_webhooks"), 0);
  json::object expected = json::parse(body).as_object();
  expected["pending_webhooks"] = 0;
  EXPECT_EQ(after, expected);
  (void)endpoint;
}

TEST_F(EventsTest, EventsAreSeenOnlyAsTheirAccountAndMode) {
  const std::string account = create_account("custom");
  const std::string platform_test = publish_id("customer.created");
  const std::string platform_live = publish_id("customer.created", kLive);
  const std::string connected = publish_id("customer.created", test_as(account));

  EXPECT_EQ(str(ok("GET", "/v1/events/" + connected, "{}", test_as(account)).at("account")),
            account);
  for (const auto& [id, as] :
       std::vector<std::pair<std::string, As>>{{platform_test, kLive},
                                               {platform_live, kTest},
                                               {connected, kTest},
                                               {platform_test, test_as(account)}}) {
    EXPECT_API_ERROR(error("GET", "/v1/events/" + id, "{}", as), 404, "invalid_request_error", "id",
                     "No such event: '" + id + "'");
  }
  EXPECT_EQ(listed_ids("{}"), std::vector<std::string>{platform_test});
  EXPECT_EQ(listed_ids("{}", kLive), std::vector<std::string>{platform_live});
  EXPECT_EQ(listed_ids("{}", test_as(account)), std::vector<std::string>{connected});
  EXPECT_API_ERROR(error("GET", "/v1/events/evt_nope"), 404, "invalid_request_error", "id",
                   "No such event: 'evt_nope'");
}

TEST_F(EventsTest, ListFiltersByTypeWildcardAndTypes) {
  const std::string succeeded = publish_id("payment_intent.succeeded");
  const std::string created = publish_id("payment_intent.created");
  const std::string customer = publish_id("customer.created");
  EXPECT_EQ(listed_ids(R"({"type":"customer.created"})"), std::vector<std::string>{customer});
  const auto wildcard = listed_ids(R"({"type":"payment_intent.*"})");
  EXPECT_EQ(std::set<std::string>(wildcard.begin(), wildcard.end()),
            (std::set<std::string>{succeeded, created}));
  const auto types =
      listed_ids(R"({"types":{"0":"customer.created","1":"payment_intent.created"}})");
  EXPECT_EQ(std::set<std::string>(types.begin(), types.end()),
            (std::set<std::string>{customer, created}));
  EXPECT_EQ(listed_ids(R"({"type":"*"})").size(), 3u);
  EXPECT_TRUE(listed_ids(R"({"type":"invoice.paid"})").empty());

  EXPECT_API_ERROR(error("GET", "/v1/events", R"({"type":"a","types":["b"]})"), 400,
                   "invalid_request_error", "types",
                   "only specify one of these parameters: type, types");
  json::array many;
  for (int i = 0; i < 21; ++i) many.emplace_back("customer.created");
  EXPECT_API_ERROR(error("GET", "/v1/events", json::serialize(json::object{{"types", many}})), 400,
                   "invalid_request_error", "types", "up to 20");
  EXPECT_API_ERROR(error("GET", "/v1/events", R"({"type":"*.succeeded"})"), 400,
                   "invalid_request_error", "type", "wildcard");
}

TEST_F(EventsTest, ListFiltersByCreated) {
  const int64_t t0 = clock_.now_seconds();
  const std::string first = publish_id("customer.created");
  clock_.advance_ms(10'000);
  const std::string second = publish_id("customer.created");
  clock_.advance_ms(10'000);
  const std::string third = publish_id("customer.created");
  auto range = [&](const char* op, int64_t at) {
    return listed_ids(fmt::format(R"({{"created":{{"{}":"{}"}}}})", op, at));
  };
  EXPECT_EQ(range("gt", t0), (std::vector<std::string>{third, second}));
  EXPECT_EQ(range("gte", t0), (std::vector<std::string>{third, second, first}));
  EXPECT_EQ(range("lt", t0 + 10), std::vector<std::string>{first});
  EXPECT_EQ(range("lte", t0 + 10), (std::vector<std::string>{second, first}));
  EXPECT_EQ(listed_ids(R"({"created":")" + std::to_string(t0 + 20) + "\"}"),
            std::vector<std::string>{third});
  EXPECT_EQ(listed_ids(fmt::format(R"({{"created":{{"gt":"{}","lt":"{}"}}}})", t0, t0 + 20)),
            std::vector<std::string>{second});
  EXPECT_API_ERROR(error("GET", "/v1/events", R"({"created":{"gt":"soon"}})"), 400,
                   "invalid_request_error", "created[gt]", "Invalid integer: soon");
  EXPECT_API_ERROR(error("GET", "/v1/events", R"({"created":{"after":"1"}})"), 400,
                   "invalid_request_error", "created[after]",
                   "Received unknown parameter: created[after]");
  EXPECT_API_ERROR(error("GET", "/v1/events", R"({"created":"yesterday"})"), 400,
                   "invalid_request_error", "created", "Invalid integer");
}

TEST_F(EventsTest, ListFiltersByDeliverySuccess) {
  create_endpoint("https://e.com", R"(["customer.created"])");
  const std::string delivered = publish_id("customer.created");
  attempt_all(true);
  const std::string pending = publish_id("customer.created");
  const std::string nowhere = publish_id("invoice.paid");  // no endpoint: nothing pending
  EXPECT_EQ(listed_ids(R"({"delivery_success":"false"})"), std::vector<std::string>{pending});
  const auto done = listed_ids(R"({"delivery_success":"true"})");
  EXPECT_EQ(std::set<std::string>(done.begin(), done.end()),
            (std::set<std::string>{delivered, nowhere}));
  EXPECT_API_ERROR(error("GET", "/v1/events", R"({"delivery_success":"1"})"), 400,
                   "invalid_request_error", "delivery_success", "Invalid boolean: 1");
}

TEST_F(EventsTest, ListPaginatesEveryEventExactlyOnce) {
  std::vector<std::string> published;
  for (int i = 0; i < 25; ++i) {
    published.push_back(publish_id("customer.created"));
    if (i % 3 == 0) clock_.advance_ms(1000);  // several events per second, too
  }
  std::vector<std::string> seen;
  std::string cursor;
  for (;;) {
    const std::string params =
        cursor.empty() ? R"({"limit":"7"})" : R"({"limit":"7","starting_after":")" + cursor + "\"}";
    const json::object page = ok("GET", "/v1/events", params);
    for (const json::value& event : page.at("data").as_array()) seen.push_back(str(event.at("id")));
    if (!page.at("has_more").as_bool()) break;
    cursor = seen.back();
  }
  std::vector<std::string> newest_first(published.rbegin(), published.rend());
  EXPECT_EQ(seen, newest_first);
  EXPECT_EQ(listed_ids("{}").size(), 10u);  // default limit

  // Backwards from the oldest, with ending_before.
  std::vector<std::string> back;
  cursor = published.front();
  for (;;) {
    const json::object page =
        ok("GET", "/v1/events", R"({"limit":"6","ending_before":")" + cursor + "\"}");
    const json::array& data = page.at("data").as_array();
    for (auto it = data.rbegin(); it != data.rend(); ++it) back.push_back(str(it->at("id")));
    if (!page.at("has_more").as_bool()) break;
    cursor = str(data.front().at("id"));
  }
  EXPECT_EQ(back, std::vector<std::string>(published.begin() + 1, published.end()));

  EXPECT_API_ERROR(error("GET", "/v1/events", R"({"starting_after":"evt_nope"})"), 404,
                   "invalid_request_error", "starting_after", "No such event: 'evt_nope'");
  const std::string live = publish_id("customer.created", kLive);
  EXPECT_API_ERROR(error("GET", "/v1/events", R"({"ending_before":")" + live + "\"}"), 404,
                   "invalid_request_error", "ending_before", "No such event");
}

TEST_F(EventsTest, RetryAddsAManualDeliveryDueNow) {
  const std::string endpoint = str(create_endpoint("https://e.com", R"(["*"])").at("id"));
  const std::string id = publish_id("customer.created");
  attempt_all(true);
  clock_.advance_ms(5000);
  const json::object answer =
      ok("POST", "/v1/events/" + id + "/retry", R"({"webhook_endpoint":")" + endpoint + "\"}");
  EXPECT_EQ(str(answer.at("id")), id);
  EXPECT_EQ(answer.at("object"), "event");
  const std::vector<Delivery> deliveries = store().list_deliveries(id);
  ASSERT_EQ(deliveries.size(), 2u);
  EXPECT_FALSE(deliveries[0].manual);
  EXPECT_TRUE(deliveries[1].manual);
  EXPECT_EQ(deliveries[1].endpoint_id, endpoint);
  EXPECT_EQ(deliveries[1].state, DeliveryState::kPending);
  EXPECT_EQ(deliveries[1].next_attempt_ms, clock_.now_ms());
}

TEST_F(EventsTest, RetryOfAConnectedAccountsEventMayTargetThePlatformsConnectEndpoint) {
  const std::string account = create_account("custom");
  const std::string connect = str(create_endpoint("https://e.com/c", R"(["*"])", true).at("id"));
  const std::string id = publish_id("customer.created", test_as(account));
  ok("POST", "/v1/events/" + id + "/retry", R"({"webhook_endpoint":")" + connect + "\"}",
     test_as(account));
  EXPECT_EQ(store().list_deliveries(id).size(), 2u);
}

TEST_F(EventsTest, RetryOnlyToAnEndpointThatCouldReceiveTheEvent) {
  const std::string account = create_account("custom");
  const std::string own = str(create_endpoint("https://e.com", R"(["*"])").at("id"));
  const std::string other_type =
      str(create_endpoint("https://e.com", R"(["invoice.paid"])").at("id"));
  const std::string live = str(create_endpoint("https://e.com", R"(["*"])", false, kLive).at("id"));
  const std::string theirs =
      str(create_endpoint("https://e.com", R"(["*"])", false, test_as(account)).at("id"));
  const std::string connect = str(create_endpoint("https://e.com", R"(["*"])", true).at("id"));
  const std::string id = publish_id("customer.created");
  const std::string path = "/v1/events/" + id + "/retry";
  auto retry_to = [&](const std::string& endpoint) {
    return error("POST", path, R"({"webhook_endpoint":")" + endpoint + "\"}");
  };
  EXPECT_API_ERROR(retry_to(other_type), 400, "invalid_request_error", "webhook_endpoint",
                   "does not receive this event");
  EXPECT_API_ERROR(retry_to(live), 400, "invalid_request_error", "webhook_endpoint",
                   "does not receive this event");
  // A Connect endpoint never gets the platform's own events.
  EXPECT_API_ERROR(retry_to(connect), 400, "invalid_request_error", "webhook_endpoint",
                   "does not receive this event");
  EXPECT_API_ERROR(retry_to(theirs), 404, "invalid_request_error", "webhook_endpoint",
                   "No such webhook endpoint");
  EXPECT_API_ERROR(retry_to("we_nope"), 404, "invalid_request_error", "webhook_endpoint",
                   "No such webhook endpoint: 'we_nope'");
  ok("POST", "/v1/webhook_endpoints/" + own, R"({"disabled":"true"})");
  EXPECT_API_ERROR(retry_to(own), 400, "invalid_request_error", "webhook_endpoint", "disabled");
  EXPECT_API_ERROR(error("POST", path), 400, "invalid_request_error", "webhook_endpoint",
                   "Missing required param: webhook_endpoint.");
  EXPECT_API_ERROR(
      error("POST", "/v1/events/evt_nope/retry", R"({"webhook_endpoint":")" + own + "\"}"), 404,
      "invalid_request_error", "id", "No such event");
  EXPECT_EQ(store().list_deliveries(id).size(), 1u);  // the automatic one only
}

TEST_F(EventsTest, AttemptsOfAnEventAndOfAnEndpoint) {
  const std::string a = str(create_endpoint("https://e.com/a", R"(["*"])").at("id"));
  const std::string b = str(create_endpoint("https://e.com/b", R"(["*"])").at("id"));
  const std::string id = publish_id("customer.created");
  attempt_all(false);
  clock_.advance_ms(1000);
  ok("POST", "/v1/events/" + id + "/retry", R"({"webhook_endpoint":")" + a + "\"}");
  attempt_all(true);

  const json::object list = ok("GET", "/v1/events/" + id + "/attempts");
  EXPECT_EQ(str(list.at("url")), "/v1/events/" + id + "/attempts");
  const json::array& attempts = list.at("data").as_array();
  ASSERT_EQ(attempts.size(), 3u);
  const json::object& newest = attempts[0].as_object();
  std::vector<std::string> keys;
  for (const auto& [key, value] : newest) keys.emplace_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "object", "created", "error", "event",
                                            "http_status", "latency_ms", "response_body", "success",
                                            "webhook_endpoint"}));
  EXPECT_EQ(newest.at("object"), "webhook_attempt");
  EXPECT_EQ(str(newest.at("event")), id);
  EXPECT_EQ(str(newest.at("webhook_endpoint")), a);
  EXPECT_EQ(newest.at("http_status"), 200);
  EXPECT_EQ(newest.at("success"), true);
  EXPECT_EQ(newest.at("latency_ms"), 12);
  EXPECT_EQ(newest.at("response_body"), "ok");
  EXPECT_TRUE(newest.at("error").is_null());
  EXPECT_EQ(newest.at("created").as_int64(), clock_.now_seconds());
  EXPECT_EQ(attempts[1].at("success"), false);
  EXPECT_EQ(attempts[1].at("http_status"), 500);

  const json::object page = ok("GET", "/v1/events/" + id + "/attempts",
                               R"({"limit":"1","starting_after":")" + str(newest.at("id")) + "\"}");
  EXPECT_EQ(page.at("has_more"), true);
  EXPECT_EQ(page.at("data").as_array()[0].at("id"), attempts[1].at("id"));

  const json::array of_b =
      ok("GET", "/v1/webhook_endpoints/" + b + "/attempts").at("data").as_array();
  ASSERT_EQ(of_b.size(), 1u);
  EXPECT_EQ(str(of_b[0].at("webhook_endpoint")), b);

  EXPECT_API_ERROR(
      error("GET", "/v1/events/" + id + "/attempts", R"({"starting_after":"wha_999"})"), 404,
      "invalid_request_error", "starting_after", "No such webhook attempt");
  // An attempt of another list is not a cursor of this one.
  EXPECT_API_ERROR(error("GET", "/v1/webhook_endpoints/" + b + "/attempts",
                         R"({"ending_before":")" + str(newest.at("id")) + "\"}"),
                   404, "invalid_request_error", "ending_before", "No such webhook attempt");
  EXPECT_API_ERROR(error("GET", "/v1/events/" + id + "/attempts", "{}", kLive), 404,
                   "invalid_request_error", "id", "No such event");
  EXPECT_API_ERROR(error("GET", "/v1/webhook_endpoints/we_nope/attempts"), 404,
                   "invalid_request_error", "id", "No such webhook endpoint");
}

TEST_F(EventsTest, AttemptWithoutAnHttpAnswerHasANullStatusAndAnError) {
  const std::string endpoint = str(create_endpoint("https://e.com", R"(["*"])").at("id"));
  const std::string id = publish_id("customer.created");
  std::vector<DeliveryOutcome> outcomes;
  for (const DueDelivery& due : store().claim_due(clock_.now_ms(), clock_.now_ms() + 1000, 10)) {
    DeliveryOutcome outcome;
    outcome.delivery_id = due.delivery.id;
    outcome.event_id = id;
    outcome.endpoint_id = endpoint;
    Attempt attempt;
    attempt.at_ms = clock_.now_ms();
    attempt.error = "connection_refused";
    outcome.attempt = attempt;
    outcome.new_state = DeliveryState::kFailed;
    outcomes.push_back(outcome);
  }
  store().record_outcomes(outcomes, clock_.now_ms(), 1'000'000);
  const json::array attempts =
      ok("GET", "/v1/webhook_endpoints/" + endpoint + "/attempts").at("data").as_array();
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_TRUE(attempts[0].at("http_status").is_null());
  EXPECT_EQ(attempts[0].at("error"), "connection_refused");
  // The sole attempt of the list is a valid cursor, with nothing beyond it.
  const json::object after = ok("GET", "/v1/webhook_endpoints/" + endpoint + "/attempts",
                                R"({"starting_after":")" + str(attempts[0].at("id")) + "\"}");
  EXPECT_TRUE(after.at("data").as_array().empty());
}

}  // namespace
}  // namespace hookline::testing
