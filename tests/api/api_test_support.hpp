#pragma once
// A fixture for the API's resources: a real SQLite store in a temp dir, a
// manual clock, group commit and the event publisher, and helpers that make
// calls to handle_call as the platform or a connected account, in either mode.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "../store/store_test_support.hpp"
#include "api/api_context.hpp"
#include "api/api_error.hpp"
#include "core/clock.hpp"
#include "events/event_publisher.hpp"
#include "store/platform_identity.hpp"
#include "store/group_commit.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace hookline::testing {

namespace json = boost::json;

// Who makes a call: the platform (no Stripe-Account) or a connected account.
struct As {
  bool livemode = false;
  std::string account;  // empty: the platform itself
  std::string idempotency_key;
};
inline const As kTest{};
inline const As kLive{true, {}, {}};
inline As test_as(const std::string& account) { return As{false, account, {}}; }
inline As live_as(const std::string& account) { return As{true, account, {}}; }

class ApiTest : public ::testing::Test {
 protected:
  ApiTest()
      : store_(open_sqlite_store(dir_.file("hookline.db"))),
        identity_(load_platform_identity(*store_, clock_, "sk_test_platform", "sk_live_platform")),
        writer_(std::make_unique<GroupCommitWriter>(*store_)),
        publisher_(std::make_unique<EventPublisher>(*store_, clock_, *writer_, identity_.account_id,
                                                    "2026-10-28.endive")),
        context_{*store_, clock_, *publisher_, identity_, nullptr, nullptr} {}

  ~ApiTest() override {
    publisher_.reset();
    writer_.reset();
  }

  Store& store() { return *store_; }
  const std::string& platform() const { return identity_.account_id; }

  api::ApiCall make_call(const std::string& method, const std::string& path,
                         const std::string& params_json = "{}", const As& as = kTest) {
    api::ApiCall call;
    call.method = method;
    call.path = path;
    call.params = json::parse(params_json).as_object();
    call.livemode = as.livemode;
    call.api_key = as.livemode ? identity_.live_secret_key : identity_.test_secret_key;
    call.platform_account_id = identity_.account_id;
    call.account_id = as.account.empty() ? identity_.account_id : as.account;
    call.as_connected_account = !as.account.empty();
    call.request_id = "req_" + std::to_string(++request_count_);
    call.idempotency_key = as.idempotency_key;
    return call;
  }

  api::ApiResponse raw(const std::string& method, const std::string& path,
                       const std::string& params_json = "{}", const As& as = kTest) {
    return api::handle_call(context_, make_call(method, path, params_json, as));
  }

  // A call expected to succeed (200): its parsed body.
  json::object ok(const std::string& method, const std::string& path,
                  const std::string& params_json = "{}", const As& as = kTest) {
    api::ApiResponse response = raw(method, path, params_json, as);
    EXPECT_EQ(response.status, 200) << response.body;
    return json::parse(response.body).as_object();
  }

  // A call expected to fail with an ApiError.
  api::ApiError error(const std::string& method, const std::string& path,
                      const std::string& params_json = "{}", const As& as = kTest) {
    try {
      api::ApiResponse response = raw(method, path, params_json, as);
      ADD_FAILURE() << method << " " << path << " succeeded: " << response.body;
    } catch (const api::ApiError& e) {
      return e;
    }
    return api::ApiError(0, "none", "no error");
  }

  // A connected account made through the API.
  std::string create_account(const std::string& type, const As& as = kTest) {
    return std::string(
        ok("POST", "/v1/accounts", R"({"type":")" + type + R"("})", as).at("id").as_string());
  }

  // An endpoint made through the API; returns its object (secret included).
  json::object create_endpoint(const std::string& url, const std::string& events_json,
                               bool connect = false, const As& as = kTest) {
    json::object params{{"url", url}, {"enabled_events", json::parse(events_json)}};
    if (connect) params["connect"] = "true";
    return ok("POST", "/v1/webhook_endpoints", json::serialize(params), as);
  }

  // Publishes through POST /v1/events with a JSON body; returns the event.
  json::object publish(const std::string& type, const std::string& object_json,
                       const As& as = kTest) {
    json::object params{{"type", type}, {"data", {{"object", json::parse(object_json)}}}};
    api::ApiCall call = make_call("POST", "/v1/events", json::serialize(params), as);
    call.json_body = true;
    api::ApiResponse response = api::handle_call(context_, call);
    EXPECT_EQ(response.status, 200) << response.body;
    return json::parse(response.body).as_object();
  }

  static std::string str(const json::value& value) { return std::string(value.as_string()); }

  TempDir dir_;
  ManualClock clock_;
  std::unique_ptr<Store> store_;
  PlatformIdentity identity_;
  std::unique_ptr<GroupCommitWriter> writer_;
  std::unique_ptr<EventPublisher> publisher_;
  api::ApiContext context_;
  int request_count_ = 0;
};

// Asserts an ApiError's status, type, param and (part of) its message.
#define EXPECT_API_ERROR(error_expr, status_, type_, param_, message_part)          \
  do {                                                                              \
    const ::hookline::api::ApiError api_error_ = (error_expr);                      \
    EXPECT_EQ(api_error_.status(), status_) << api_error_.what();                   \
    EXPECT_EQ(api_error_.type(), type_) << api_error_.what();                       \
    EXPECT_EQ(api_error_.param(), param_) << api_error_.what();                     \
    EXPECT_NE(std::string(api_error_.what()).find(message_part), std::string::npos) \
        << api_error_.what();                                                       \
  } while (0)

}  // namespace hookline::testing
