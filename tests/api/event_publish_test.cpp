// POST /v1/events: publishing, form-encoded or JSON, as the platform or a
// connected account, with the publisher's errors turned into Stripe's.
#include <gtest/gtest.h>

#include "api_test_support.hpp"

namespace hookline::testing {
namespace {

using EventPublishTest = ApiTest;

TEST_F(EventPublishTest, JsonBodyKeepsTypedValuesAndRecordsTheRequest) {
  create_endpoint("https://e.com", R"(["payment_intent.succeeded"])");
  api::ApiCall call = make_call("POST", "/v1/events",
                                R"({"type":"payment_intent.succeeded",
          "data":{"object":{"id":"pi_1","object":"payment_intent","amount":2000,"captured":true,
                            "description":null},
                  "previous_attributes":{"status":"processing"}}})",
                                As{false, {}, "key-1"});
  call.json_body = true;
  const api::ApiResponse response = api::handle_call(context_, call);
  ASSERT_EQ(response.status, 200);
  const json::object event = json::parse(response.body).as_object();
  const std::string id = str(event.at("id"));
  EXPECT_EQ(response.body, store().get_event(id)->body);  // the body as stored
  EXPECT_EQ(event.at("object"), "event");
  EXPECT_FALSE(event.contains("account"));  // the platform's own event
  EXPECT_EQ(event.at("api_version"), "2026-10-28.endive");
  EXPECT_EQ(event.at("type"), "payment_intent.succeeded");
  EXPECT_EQ(event.at("livemode"), false);
  EXPECT_EQ(event.at("pending_webhooks"), 1);
  EXPECT_EQ(event.at("data").at("object").at("amount"), 2000);
  EXPECT_EQ(event.at("data").at("object").at("captured"), true);
  EXPECT_TRUE(event.at("data").at("object").at("description").is_null());
  EXPECT_EQ(event.at("data").at("previous_attributes"), json::parse(R"({"status":"processing"})"));
  EXPECT_EQ(event.at("request"),
            json::parse(R"({"id":")" + call.request_id + R"(","idempotency_key":"key-1"})"));
}

TEST_F(EventPublishTest, FormEncodedDataKeepsStrings) {
  const json::object event =
      ok("POST", "/v1/events",
         R"({"type":"customer.created","data":{"object":{"id":"cus_1","object":"customer",
             "metadata":{"a":"1"}}}})");
  EXPECT_EQ(event.at("data").at("object").at("metadata").at("a"), "1");
  EXPECT_TRUE(event.at("request").at("idempotency_key").is_null());
  EXPECT_FALSE(event.at("data").as_object().contains("previous_attributes"));
}

TEST_F(EventPublishTest, ConnectedAccountEventsCarryTheAccount) {
  const std::string account = create_account("express");
  const json::object event =
      publish("payout.paid", R"({"id":"po_1","object":"payout"})", test_as(account));
  EXPECT_EQ(str(event.at("account")), account);
  EXPECT_EQ(store().get_event(str(event.at("id")))->account_id, account);
}

TEST_F(EventPublishTest, LiveEventOnALiveKey) {
  const json::object event = publish("customer.created", R"({"id":"cus_1"})", kLive);
  EXPECT_EQ(event.at("livemode"), true);
}

TEST_F(EventPublishTest, ParametersAreChecked) {
  EXPECT_API_ERROR(error("POST", "/v1/events", R"({"data":{"object":{"id":"x"}}})"), 400,
                   "invalid_request_error", "type", "Missing required param: type.");
  EXPECT_API_ERROR(error("POST", "/v1/events", R"({"type":"customer.created"})"), 400,
                   "invalid_request_error", "data[object]", "Missing required param: data[object]");
  EXPECT_API_ERROR(error("POST", "/v1/events", R"({"type":"customer.created","data":{}})"), 400,
                   "invalid_request_error", "data[object]", "Missing required param");
  EXPECT_API_ERROR(
      error("POST", "/v1/events", R"({"type":"customer.created","data":{"object":"cus_1"}})"), 400,
      "invalid_request_error", "data[object]", "Invalid hash");
  EXPECT_API_ERROR(error("POST", "/v1/events",
                         R"({"type":"customer.created","data":{"object":{},"extra":"1"}})"),
                   400, "invalid_request_error", "data[extra]",
                   "Received unknown parameter: data[extra]");
  EXPECT_API_ERROR(
      error("POST", "/v1/events", R"({"type":"customer.created","data":{"object":{}},"foo":"1"})"),
      400, "invalid_request_error", "foo", "Received unknown parameter: foo");
  EXPECT_API_ERROR(error("POST", "/v1/events",
                         R"({"type":"customer.created","data":{"object":{},
                             "previous_attributes":"x"}})"),
                   400, "invalid_request_error", "data[previous_attributes]", "Invalid hash");
  EXPECT_TRUE(ok("GET", "/v1/events").at("data").as_array().empty());  // nothing published
}

TEST_F(EventPublishTest, PublisherErrorsBecomeInvalidRequestErrors) {
  EXPECT_API_ERROR(
      error("POST", "/v1/events", R"({"type":"customer.craeted","data":{"object":{}}})"), 400,
      "invalid_request_error", "type", "Did you mean customer.created");
  // person.updated happens only on accounts the platform controls.
  const std::string standard = create_account("standard");
  EXPECT_API_ERROR(error("POST", "/v1/events", R"({"type":"person.updated","data":{"object":{}}})",
                         test_as(standard)),
                   400, "invalid_request_error", "type", "not available");
  // A live event cannot happen on an account connected in test mode only.
  EXPECT_API_ERROR(error("POST", "/v1/events",
                         R"({"type":"customer.created","data":{"object":{}}})", live_as(standard)),
                   400, "invalid_request_error", "account", "test mode only");
}

}  // namespace
}  // namespace hookline::testing
