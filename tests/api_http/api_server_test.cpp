// The running server through real HTTP: routes, authentication,
// Stripe-Account, parameters, idempotency, errors and limits.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "api/api_error.hpp"
#include "api/http/api_key_auth.hpp"
#include "api_http_test_support.hpp"

namespace hookline::api::testing {
namespace {

using hookline::testing::make_account;

std::string error_message(const HttpResult& result) {
  return std::string(result.json().at("error").at("message").as_string());
}
std::string error_type(const HttpResult& result) {
  return std::string(result.json().at("error").at("type").as_string());
}

class ServerTest : public ApiServerTest {
 protected:
  void SetUp() override { start(); }
};

TEST_F(ServerTest, HealthzAnswersOkWithoutAuth) {
  HttpClient client(port());
  const HttpResult result = client.get("/healthz");
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body, R"({"status":"ok"})");
  EXPECT_EQ(result.header("content-type"), "application/json");
  EXPECT_EQ(result.header("request-id").substr(0, 4), "req_");
  EXPECT_EQ(call_count(), 0u);
}

TEST_F(ServerTest, MetricsArePrometheusTextWithoutAuth) {
  metrics_.record_events_created(3);
  HttpClient client(port());
  const HttpResult result = client.get("/metrics");
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.header("content-type").substr(0, 10), "text/plain");
  EXPECT_NE(result.body.find("hookline_events_created_total 3\n"), std::string::npos);
  EXPECT_NE(result.body.find("hookline_deliveries_pending 0\n"), std::string::npos);
}

TEST_F(ServerTest, UnknownPathsAre404StripeShaped) {
  HttpClient client(port());
  // "/" is the dashboard (tests/dashboard).
  for (const char* path : {"/nope", "/v2/events", "/healthzz", "/metrics/x"}) {
    const HttpResult result = client.get(path, {bearer()});
    EXPECT_EQ(result.status, 404) << path;
    EXPECT_EQ(error_type(result), "invalid_request_error") << path;
    EXPECT_NE(error_message(result).find(std::string("Unrecognized request URL (GET: ") + path),
              std::string::npos)
        << result.body;
    EXPECT_EQ(result.header("request-id").substr(0, 4), "req_");
  }
  EXPECT_EQ(client.post("/healthz", "").status, 404);
  EXPECT_EQ(call_count(), 0u);
}

TEST_F(ServerTest, BearerKeyReachesTheHandlerAsThePlatformInTestMode) {
  HttpClient client(port());
  const HttpResult result = client.get("/v1/events?limit=3&type=charge.succeeded", {bearer()});
  ASSERT_EQ(result.status, 200) << result.body << result.error;
  const auto call = result.json().as_object();
  EXPECT_EQ(call.at("method"), "GET");
  EXPECT_EQ(call.at("path"), "/v1/events");
  EXPECT_EQ(call.at("params"), boost::json::parse(R"({"limit":"3","type":"charge.succeeded"})"));
  EXPECT_EQ(call.at("api_key"), kTestKey);
  EXPECT_EQ(call.at("livemode"), false);
  EXPECT_EQ(call.at("account_id"), kPlatform);
  EXPECT_EQ(call.at("platform_account_id"), kPlatform);
  EXPECT_EQ(call.at("as_connected_account"), false);
  EXPECT_EQ(call.at("request_id").as_string(), result.header("request-id"));
  EXPECT_EQ(result.header("stripe-version"), kApiVersion);
}

TEST_F(ServerTest, BasicAuthWithTheKeyAsUserName) {
  HttpClient client(port());
  HttpRequest request;
  request.path = "/v1/accounts";
  request.basic_user = kLiveKey;
  const HttpResult result = client.send(request);
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.json().at("api_key"), kLiveKey);
  EXPECT_EQ(result.json().at("livemode"), true);
}

TEST_F(ServerTest, LiveKeyCallsAreLivemode) {
  HttpClient client(port());
  const HttpResult result = client.get("/v1/accounts", {bearer(kLiveKey)});
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(result.json().at("livemode"), true);
}

TEST_F(ServerTest, MissingKeyIs401) {
  HttpClient client(port());
  for (const std::vector<std::string>& headers :
       {std::vector<std::string>{}, {"Authorization: Bearer "}, {"Authorization: Token abc"}}) {
    const HttpResult result = client.get("/v1/events", headers);
    EXPECT_EQ(result.status, 401);
    EXPECT_EQ(error_type(result), "invalid_request_error");
    EXPECT_EQ(error_message(result).substr(0, 31), "You did not provide an API key.");
  }
  EXPECT_EQ(call_count(), 0u);
}

TEST_F(ServerTest, UnknownKeyIs401Masked) {
  HttpClient client(port());
  const std::string key = "sk_test_51NotThisServersKey00000000000000abcd";
  const HttpResult result = client.post("/v1/events", "type=x", {bearer(key)});
  EXPECT_EQ(result.status, 401);
  EXPECT_EQ(error_message(result), "Invalid API Key provided: " + mask_api_key(key));
  EXPECT_EQ(error_message(result).substr(0, 34), "Invalid API Key provided: sk_test_");
  EXPECT_EQ(result.body.find("NotThisServersKey"), std::string::npos);
  EXPECT_EQ(call_count(), 0u);
}

TEST_F(ServerTest, StripeAccountActsAsAConnectedAccount) {
  store().put_account(make_account("acct_conn", AccountType::kCustom));
  HttpClient client(port());
  const HttpResult result = client.get("/v1/events", {bearer(), "Stripe-Account: acct_conn"});
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.json().at("account_id"), "acct_conn");
  EXPECT_EQ(result.json().at("as_connected_account"), true);
  EXPECT_EQ(result.json().at("platform_account_id"), kPlatform);

  const HttpResult itself = client.get("/v1/events", {bearer(), "Stripe-Account: acct_platform"});
  ASSERT_EQ(itself.status, 200);
  EXPECT_EQ(itself.json().at("account_id"), kPlatform);
  EXPECT_EQ(itself.json().at("as_connected_account"), false);
}

TEST_F(ServerTest, StripeAccountRefusedIs403) {
  Account gone = make_account("acct_gone", AccountType::kStandard);
  gone.deauthorized = true;
  store().put_account(gone);
  Account test_only = make_account("acct_test_only", AccountType::kStandard);
  test_only.connected_live = false;
  store().put_account(test_only);
  HttpClient client(port());
  struct Refusal {
    const char* key;
    const char* account;
  };
  for (const Refusal& r : {Refusal{kTestKey, "acct_unknown"}, Refusal{kTestKey, "acct_gone"},
                           Refusal{kLiveKey, "acct_test_only"}}) {
    const HttpResult result =
        client.get("/v1/events", {bearer(r.key), std::string("Stripe-Account: ") + r.account});
    EXPECT_EQ(result.status, 403) << r.account;
    EXPECT_EQ(error_type(result), "permission_error");
    EXPECT_EQ(error_message(result), "The provided key '" + mask_api_key(r.key) +
                                         "' does not have access to account '" + r.account +
                                         "' (or that account does not exist). Application "
                                         "access may have been revoked.");
  }
  // The test key still reaches the account connected in test mode.
  EXPECT_EQ(client.get("/v1/events", {bearer(), "Stripe-Account: acct_test_only"}).status, 200);
  EXPECT_EQ(call_count(), 1u);
}

TEST_F(ServerTest, FormBodiesAreDecodedWithBracketNotation) {
  HttpClient client(port());
  const HttpResult result = client.post(
      "/v1/webhook_endpoints",
      "url=https%3A%2F%2Fexample.com%2Fhook&enabled_events[]=charge.succeeded&enabled_events[]="
      "charge.failed&metadata[order]=6735&metadata[note]=&description=two+words",
      {bearer()});
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.json().at("params"), boost::json::parse(R"({
      "url":"https://example.com/hook",
      "enabled_events":["charge.succeeded","charge.failed"],
      "metadata":{"order":"6735","note":""},
      "description":"two words"})"));
  EXPECT_EQ(result.json().at("json_body"), false);
}

TEST_F(ServerTest, DeleteTakesItsParamsFromTheQuery) {
  HttpClient client(port());
  const HttpResult result =
      client.send(HttpRequest{"DELETE", "/v1/webhook_endpoints/we_1?a[b]=c", {bearer()}, {}, {}});
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(result.json().at("method"), "DELETE");
  EXPECT_EQ(result.json().at("path"), "/v1/webhook_endpoints/we_1");
  EXPECT_EQ(result.json().at("params"), boost::json::parse(R"({"a":{"b":"c"}})"));
}

TEST_F(ServerTest, JsonBodiesKeepTheirTypes) {
  HttpClient client(port());
  const std::string body =
      R"({"type":"charge.succeeded","data":{"object":{"amount":2000,"paid":true,"x":null}}})";
  const HttpResult result =
      client.post("/v1/events", body, {bearer(), "Content-Type: application/json; charset=utf-8"});
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.json().at("json_body"), true);
  EXPECT_EQ(result.json().at("params"), boost::json::parse(body));
}

TEST_F(ServerTest, InvalidJsonIs400) {
  HttpClient client(port());
  for (const char* body : {"{", "[1,2]", "\"text\"", "{\"a\":1}x", "", "{\"a\":\xff}"}) {
    const HttpResult result = client.post("/v1/events", body, {bearer(), "Content-Type: application/json"});
    EXPECT_EQ(result.status, 400) << body;
    EXPECT_EQ(error_type(result), "invalid_request_error");
    EXPECT_EQ(error_message(result).substr(0, 17), "Invalid JSON body") << body;
  }
  EXPECT_EQ(call_count(), 0u);
}

TEST_F(ServerTest, BadFormEncodingIs400NamingTheParam) {
  HttpClient client(port());
  const HttpResult conflict = client.post("/v1/events", "a=1&a[b]=2", {bearer()});
  EXPECT_EQ(conflict.status, 400);
  EXPECT_EQ(conflict.json().at("error").at("param"), "a");
  const HttpResult percent = client.get("/v1/events?limit=%zz", {bearer()});
  EXPECT_EQ(percent.status, 400);
  EXPECT_EQ(percent.json().at("error").at("param"), "limit");
  EXPECT_EQ(call_count(), 0u);
}

TEST_F(ServerTest, AuthenticationComesBeforeDecoding) {
  HttpClient client(port());
  EXPECT_EQ(client.post("/v1/events", "a=%zz").status, 401);
}

TEST_F(ServerTest, HandlerErrorsAreRenderedWithTheRequestId) {
  respond_ = [](const ApiCall&) -> ApiResponse {
    throw ApiError::no_such("webhook endpoint", "we_missing");
  };
  HttpClient client(port());
  const HttpResult result = client.get("/v1/webhook_endpoints/we_missing", {bearer()});
  EXPECT_EQ(result.status, 404);
  const auto error = result.json().at("error");
  EXPECT_EQ(error.at("code"), "resource_missing");
  EXPECT_EQ(error.at("message"), "No such webhook endpoint: 'we_missing'");
  EXPECT_EQ(error.at("doc_url"), "https://docs.stripe.com/error-codes/resource-missing");
  // No request log page exists to point at.
  EXPECT_FALSE(error.as_object().contains("request_log_url"));
  EXPECT_FALSE(result.header("request-id").empty());
}

TEST_F(ServerTest, UnexpectedExceptionsAre500AndTheServerGoesOn) {
  std::atomic<int> calls{0};
  respond_ = [&calls](const ApiCall& call) -> ApiResponse {
    if (calls++ == 0) throw std::runtime_error("database on fire");
    return echo(call);
  };
  HttpClient client(port());
  const HttpResult failed = client.get("/v1/events", {bearer()});
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(error_type(failed), "api_error");
  EXPECT_EQ(failed.body.find("database on fire"), std::string::npos);  // logged, not shown
  EXPECT_EQ(client.get("/v1/events", {bearer()}).status, 200);
}

TEST_F(ServerTest, HandlerStatusBodyAndHeadersPassThrough) {
  respond_ = [](const ApiCall&) {
    return ApiResponse{201, R"({"id":"we_1"})", {{"X-Extra", "yes"}}};
  };
  HttpClient client(port());
  const HttpResult result = client.post("/v1/webhook_endpoints", "url=x", {bearer()});
  EXPECT_EQ(result.status, 201);
  EXPECT_EQ(result.body, R"({"id":"we_1"})");
  EXPECT_EQ(result.header("x-extra"), "yes");
  EXPECT_EQ(result.header("content-type"), "application/json");
}

TEST_F(ServerTest, StripeVersionOfTheRequestIsEchoed) {
  HttpClient client(port());
  EXPECT_EQ(client.get("/v1/events", {bearer(), "Stripe-Version: 2024-06-20"})
                .header("stripe-version"),
            "2024-06-20");
}

TEST_F(ServerTest, Issue12Item3StripeVersionMustBeAPublishedVersion) {
  struct Case {
    const char* version;
    bool accepted;
  };
  const Case cases[] = {
      {"2026-10-28.endive", true}, {"2024-06-20", true},     {"2011-01-01", true},
      {"foo", false},              {"2099-01-01.zzz", false}, {"2024-06-21", false},
      {"2026-10-28.basil", false},
  };
  HttpClient client(port());
  for (const Case& c : cases) {
    const HttpResult result =
        client.get("/v1/events", {bearer(), std::string("Stripe-Version: ") + c.version});
    if (c.accepted) {
      EXPECT_EQ(result.status, 200) << c.version << ": " << result.body;
      EXPECT_EQ(result.header("stripe-version"), c.version);
    } else {
      EXPECT_EQ(result.status, 400) << c.version << ": " << result.body;
      EXPECT_EQ(error_type(result), "invalid_request_error") << c.version;
      EXPECT_EQ(error_message(result), std::string("Invalid Stripe API version: ") + c.version);
      EXPECT_EQ(result.header("stripe-version"), kApiVersion) << c.version;
    }
  }
  const std::size_t calls = call_count();
  EXPECT_EQ(client.post("/v1/webhook_endpoints", "url=x", {bearer(), "Stripe-Version: foo"}).status,
            400);
  EXPECT_EQ(call_count(), calls);  // refused before the handler runs
}

TEST_F(ServerTest, EveryResponseHasItsOwnRequestId) {
  HttpClient client(port());
  const std::string first = client.get("/healthz").header("request-id");
  const std::string second = client.get("/v1/events").header("request-id");  // a 401
  EXPECT_EQ(first.substr(0, 4), "req_");
  EXPECT_EQ(second.substr(0, 4), "req_");
  EXPECT_NE(first, second);
}

TEST_F(ServerTest, OAuthCallsMayAuthenticateWithClientSecret) {
  HttpClient client(port());
  const HttpResult result = client.post(
      "/oauth/token", std::string("grant_type=authorization_code&code=ac_1&client_secret=") + kTestKey);
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.json().at("path"), "/oauth/token");
  EXPECT_EQ(result.json().at("api_key"), kTestKey);
  EXPECT_EQ(client.post("/oauth/token", "client_secret=sk_test_nope").status, 401);
}

TEST_F(ServerTest, IdempotentPostIsReplayed) {
  HttpClient client(port());
  const std::vector<std::string> headers{bearer(), "Idempotency-Key: key-1"};
  const HttpResult first = client.post("/v1/events", "type=charge.succeeded", headers);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.header("idempotent-replayed"), "");
  EXPECT_EQ(first.json().at("idempotency_key"), "key-1");
  const HttpResult again = client.post("/v1/events", "type=charge.succeeded", headers);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.header("idempotent-replayed"), "true");
  EXPECT_NE(again.header("request-id"), first.header("request-id"));
  EXPECT_EQ(call_count(), 1u);
}

TEST_F(ServerTest, IdempotencyKeyWithAnotherRequestIs400) {
  HttpClient client(port());
  ASSERT_EQ(client.post("/v1/events", "type=a", {bearer(), "Idempotency-Key: key-2"}).status, 200);
  for (const auto& [path, body] : {std::pair<std::string, std::string>{"/v1/events", "type=b"},
                                   {"/v1/accounts", "type=a"}}) {
    const HttpResult result = client.post(path, body, {bearer(), "Idempotency-Key: key-2"});
    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(error_type(result), "idempotency_error");
    EXPECT_NE(error_message(result).find("Try using a key other than 'key-2'"), std::string::npos);
  }
  EXPECT_EQ(call_count(), 1u);
}

TEST_F(ServerTest, IdempotencyKeysAreScopedByKeyAndAccount) {
  store().put_account(make_account("acct_conn", AccountType::kCustom));
  HttpClient client(port());
  ASSERT_EQ(client.post("/v1/events", "type=a", {bearer(), "Idempotency-Key: k"}).status, 200);
  EXPECT_EQ(client.post("/v1/events", "type=b", {bearer(kLiveKey), "Idempotency-Key: k"}).status,
            200);
  EXPECT_EQ(client
                .post("/v1/events", "type=c",
                      {bearer(), "Idempotency-Key: k", "Stripe-Account: acct_conn"})
                .status,
            200);
  EXPECT_EQ(call_count(), 3u);
}

TEST_F(ServerTest, HandlerErrorsAreKeptForIdempotentReplayButServerErrorsAreNot) {
  std::atomic<int> calls{0};
  respond_ = [&calls](const ApiCall& call) -> ApiResponse {
    const int n = calls++;
    if (call.params.contains("bad")) throw ApiError::invalid_request("bad input", "bad");
    if (n == 1) throw std::runtime_error("transient");
    return echo(call);
  };
  HttpClient client(port());
  const HttpResult bad = client.post("/v1/events", "bad=1", {bearer(), "Idempotency-Key: kb"});
  EXPECT_EQ(bad.status, 400);
  const HttpResult bad_again = client.post("/v1/events", "bad=1", {bearer(), "Idempotency-Key: kb"});
  EXPECT_EQ(bad_again.status, 400);
  EXPECT_EQ(bad_again.body, bad.body);
  EXPECT_EQ(bad_again.header("idempotent-replayed"), "true");
  EXPECT_EQ(calls.load(), 1);

  EXPECT_EQ(client.post("/v1/events", "x=1", {bearer(), "Idempotency-Key: k5"}).status, 500);
  EXPECT_EQ(client.post("/v1/events", "x=1", {bearer(), "Idempotency-Key: k5"}).status, 200);
  EXPECT_EQ(calls.load(), 3);
}

TEST_F(ServerTest, IdempotencyKeyIsIgnoredOnGet) {
  HttpClient client(port());
  client.get("/v1/events", {bearer(), "Idempotency-Key: g"});
  const HttpResult second = client.get("/v1/events?limit=1", {bearer(), "Idempotency-Key: g"});
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.header("idempotent-replayed"), "");
  EXPECT_EQ(call_count(), 2u);
  // Nor kept: the key is still free for a POST.
  const HttpResult post = client.post("/v1/events", "type=a", {bearer(), "Idempotency-Key: g"});
  EXPECT_EQ(post.status, 200);
  EXPECT_EQ(post.header("idempotent-replayed"), "");
  EXPECT_EQ(call_count(), 3u);
}

TEST_F(ServerTest, ConcurrentUseOfOneIdempotencyKeyIs409) {
  std::promise<void> entered;
  std::shared_future<void> release_future;
  std::promise<void> release;
  release_future = release.get_future().share();
  std::atomic<bool> first{true};
  respond_ = [&](const ApiCall& call) {
    if (first.exchange(false)) {
      entered.set_value();
      release_future.wait();
    }
    return echo(call);
  };
  auto slow = std::async(std::launch::async, [this] {
    HttpClient client(port());
    return client.post("/v1/events", "a=1", {bearer(), "Idempotency-Key: busy"});
  });
  entered.get_future().wait();
  HttpClient client(port());
  const HttpResult busy = client.post("/v1/events", "a=1", {bearer(), "Idempotency-Key: busy"});
  EXPECT_EQ(busy.status, 409);
  EXPECT_EQ(busy.json().at("error").at("code"), "idempotency_key_in_use");
  release.set_value();
  EXPECT_EQ(slow.get().status, 200);
}

TEST_F(ServerTest, BodyOverTheLimitIs413) {
  HttpClient client(port());
  const std::string body = "a=" + std::string((1 << 20) + 10, 'x');
  // libcurl sends Expect: 100-continue for a body this size: the 413 comes first.
  const HttpResult result = client.post("/v1/events", body, {bearer()});
  EXPECT_EQ(result.status, 413) << result.error;
  EXPECT_EQ(error_type(result), "invalid_request_error");
  EXPECT_EQ(result.header("request-id").substr(0, 4), "req_");
  // Without Expect: the server reads past what it refuses, then answers.
  const HttpResult direct = client.post("/v1/events", body, {bearer(), "Expect:"});
  EXPECT_EQ(direct.status, 413) << direct.error;
  EXPECT_EQ(call_count(), 0u);
  // Just under the limit is fine.
  const std::string fits = "a=" + std::string((1 << 20) - 2, 'x');
  EXPECT_EQ(client.post("/v1/events", fits, {bearer()}).status, 200);
}

TEST_F(ServerTest, ChunkedBodyOverTheLimitIs413) {
  RawConnection connection(port());
  ASSERT_TRUE(connection.connected());
  std::string request = std::string("POST /v1/events HTTP/1.1\r\nHost: x\r\n") + bearer() +
                        "\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string chunk(64 << 10, 'x');
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  connection.send(request);
  for (int i = 0; i < 20; ++i) {
    if (!connection.send(size_line + chunk + "\r\n")) break;
  }
  const std::string answer = connection.read_all();
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 413") << answer.substr(0, 200);
}

TEST_F(ServerTest, HugeHeadersAre431) {
  HttpClient client(port());
  const HttpResult result =
      client.get("/v1/events", {bearer(), "X-Padding: " + std::string(20 << 10, 'p')});
  EXPECT_EQ(result.status, 431) << result.error;
  EXPECT_EQ(error_type(result), "invalid_request_error");
  // Many small headers count the same.
  std::vector<std::string> many{bearer()};
  for (int i = 0; i < 2000; ++i) many.push_back("X-H" + std::to_string(i) + ": value");
  EXPECT_EQ(client.get("/v1/events", many).status, 431);
  EXPECT_EQ(client.get("/v1/events", {bearer()}).status, 200);
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  HttpClient client(port());
  long connections = 0;
  for (int i = 0; i < 50; ++i) {
    const HttpResult result = client.get("/v1/events?i=" + std::to_string(i), {bearer()});
    ASSERT_EQ(result.status, 200);
    connections += result.new_connections;
  }
  EXPECT_EQ(connections, 1);
  EXPECT_EQ(call_count(), 50u);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  std::atomic<int> seen{0};
  respond_ = [&seen](const ApiCall& call) {
    // The first call is slow: a later one must still not overtake it.
    if (seen++ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return ApiResponse{200, R"({"path":")" + call.path + R"("})", {}};
  };
  RawConnection connection(port());
  std::string requests;
  for (int i = 0; i < 5; ++i) {
    requests += "GET /v1/item" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n" + bearer() + "\r\n\r\n";
  }
  ASSERT_TRUE(connection.send(requests));
  const std::vector<std::string> responses = connection.read_responses(5);
  ASSERT_EQ(responses.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_NE(responses[i].find(R"({"path":"/v1/item)" + std::to_string(i) + "\"}"),
              std::string::npos)
        << responses[i];
  }
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  RawConnection connection(port());
  ASSERT_TRUE(connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  const std::string answer = connection.read_all();  // ends: the server closed
  EXPECT_EQ(answer.substr(0, 15), "HTTP/1.1 200 OK");
  EXPECT_NE(answer.find("Connection: close"), std::string::npos);
}

TEST_F(ServerTest, Http10IsAnsweredAndClosed) {
  RawConnection connection(port());
  ASSERT_TRUE(connection.send("GET /healthz HTTP/1.0\r\n\r\n"));
  const std::string answer = connection.read_all();  // ends: HTTP/1.0 is not kept alive
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 200");  // a server answers with its own version
  EXPECT_NE(answer.find("Connection: close"), std::string::npos);
}

class LimitsTest : public ApiServerTest {};

TEST_F(LimitsTest, ConnectionsBeyondTheCapAreClosedAtOnce) {
  ApiServerOptions options;
  options.max_connections = 2;
  start(options);
  auto first = std::make_unique<RawConnection>(port());
  RawConnection second(port());
  // Both are served (and so registered) before the third arrives.
  ASSERT_TRUE(first->send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(first->read_responses(1).size(), 1u);
  ASSERT_TRUE(second.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(second.read_responses(1).size(), 1u);
  RawConnection third(port());
  third.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(third.read_all(), "");
  first.reset();  // frees a place
  for (int attempt = 0; attempt < 200; ++attempt) {
    HttpClient client(port());
    if (client.get("/healthz").status == 200) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  FAIL() << "no place freed after a connection closed";
}

TEST_F(LimitsTest, IdleConnectionsAreClosed) {
  ApiServerOptions options;
  options.idle_timeout_seconds = 1;
  start(options);
  RawConnection connection(port());
  ASSERT_TRUE(connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(connection.read_responses(1).size(), 1u);
  EXPECT_EQ(connection.read_all(), "");  // returns once the server closes
}

TEST_F(LimitsTest, SlowRequestsAreCutOff) {
  ApiServerOptions options;
  options.request_head_timeout_seconds = 1;
  start(options);
  RawConnection connection(port());
  ASSERT_TRUE(connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n"));  // never finished
  EXPECT_EQ(connection.read_all(), "");
  HttpClient client(port());
  EXPECT_EQ(client.get("/healthz").status, 200);
}

TEST_F(LimitsTest, SmallerBodyLimitIsObeyed) {
  ApiServerOptions options;
  options.max_body_bytes = 100;
  start(options);
  HttpClient client(port());
  EXPECT_EQ(client.post("/v1/events", std::string(101, 'a'), {bearer()}).status, 413);
  EXPECT_EQ(client.post("/v1/events", std::string(100, 'a'), {bearer()}).status, 200);
}

TEST_F(LimitsTest, StopClosesOpenConnectionsAndRestartIsClean) {
  start();
  RawConnection idle(port());
  ASSERT_TRUE(idle.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(idle.read_responses(1).size(), 1u);
  stop();
  EXPECT_EQ(idle.read_all(), "");
  start();
  HttpClient client(port());
  EXPECT_EQ(client.get("/healthz").status, 200);
}

TEST_F(LimitsTest, StopWaitsForCallsInFlight) {
  std::promise<void> entered;
  std::atomic<bool> returned{false};
  respond_ = [&entered, &returned](const ApiCall& call) {
    entered.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ApiResponse response = echo(call);
    returned.store(true);
    return response;
  };
  start();
  auto pending = std::async(std::launch::async, [this] {
    HttpClient client(port());
    return client.get("/v1/events", {bearer()});
  });
  entered.get_future().wait();
  server_->stop();  // returns only once the handler has returned (not only once destroyed)
  EXPECT_TRUE(returned.load());
  EXPECT_EQ(call_count(), 1u);
  pending.get();  // answered or cut off: either way it ends
}

TEST_F(LimitsTest, BindFailureThrows) {
  start();
  ApiServerOptions options;
  options.port = port();
  ApiServer second(context_, options, {}, [](const ApiCall&) { return ApiResponse{}; });
  EXPECT_THROW(second.start(), std::runtime_error);
}

}  // namespace
}  // namespace hookline::api::testing
