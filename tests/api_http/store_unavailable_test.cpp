// Issue 11 item 6b, the API's side: a call that finds the database away
// (StoreUnavailable) is answered 503 with a Stripe-shaped api_error and
// Stripe-Should-Retry: true, never a 500 with the driver's message; an
// idempotent call that failed so is not remembered, and its retry runs.
#include <gtest/gtest.h>

#include <atomic>

#include "api_http_test_support.hpp"

namespace hookline::api::testing {
namespace {

class StoreUnavailableApi : public ApiServerTest {
 protected:
  void SetUp() override {
    respond_ = [this](const ApiCall& call) {
      if (database_away_) {
        throw StoreUnavailable("postgres: connection to server at \"10.0.0.7\", port 5432 failed");
      }
      return echo(call);
    };
    start();
  }

  HttpResult post_with_key(HttpClient& client, const std::string& key) {
    HttpRequest request;
    request.method = "POST";
    request.path = "/v1/webhook_endpoints";
    request.headers = {std::string("Authorization: Bearer ") + kTestKey, "Idempotency-Key: " + key};
    request.body = "url=https%3A%2F%2Fexample.com%2Fhook&enabled_events[]=*";
    return client.send(request);
  }

  std::atomic<bool> database_away_{false};
};

TEST_F(StoreUnavailableApi, AnswersA503StripeShapedApiErrorThatAsksForARetry) {
  database_away_ = true;
  HttpClient client(port());
  HttpRequest request;
  request.path = "/v1/webhook_endpoints";
  request.headers = {std::string("Authorization: Bearer ") + kTestKey};
  const HttpResult result = client.send(request);
  EXPECT_EQ(result.status, 503) << result.body;
  EXPECT_EQ(result.header("stripe-should-retry"), "true");
  EXPECT_EQ(result.header("request-id").substr(0, 4), "req_");
  const boost::json::value body = result.json();
  const auto& error = body.at("error").as_object();
  EXPECT_EQ(error.at("type"), "api_error");
  const std::string message(error.at("message").as_string());
  EXPECT_NE(message.find("database"), std::string::npos) << message;
  // The driver's message (addresses, ports) stays in the server's log.
  EXPECT_EQ(message.find("10.0.0.7"), std::string::npos) << message;
  EXPECT_EQ(result.body.find("5432"), std::string::npos) << result.body;
}

// Not a 503: only an unreachable store is "try again shortly"; the retry advice
// is the one every 5xx gets (api/http/retry_advice).
TEST_F(StoreUnavailableApi, OtherStoreErrorsStayA500) {
  respond_ = [](const ApiCall&) -> ApiResponse { throw StoreError("constraint failed"); };
  HttpClient client(port());
  HttpRequest request;
  request.path = "/v1/webhook_endpoints";
  request.headers = {std::string("Authorization: Bearer ") + kTestKey};
  const HttpResult result = client.send(request);
  EXPECT_EQ(result.status, 500) << result.body;
  EXPECT_EQ(result.body.find("database"), std::string::npos) << result.body;
}

TEST_F(StoreUnavailableApi, AnIdempotentCallThatGot503RunsAgainWhenRetried) {
  HttpClient client(port());
  database_away_ = true;
  const HttpResult failed = post_with_key(client, "retry-me");
  EXPECT_EQ(failed.status, 503) << failed.body;
  EXPECT_EQ(call_count(), 1u);

  database_away_ = false;
  const HttpResult retried = post_with_key(client, "retry-me");
  EXPECT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(retried.header("idempotent-replayed"), "");
  EXPECT_EQ(call_count(), 2u);
  // Now it is remembered: a third try replays it.
  const HttpResult replayed = post_with_key(client, "retry-me");
  EXPECT_EQ(replayed.header("idempotent-replayed"), "true");
  EXPECT_EQ(call_count(), 2u);
}

}  // namespace
}  // namespace hookline::api::testing
