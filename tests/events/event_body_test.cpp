#include "events/event_body.hpp"

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace hookline {
namespace {

namespace json = boost::json;

EventBodyFields base_fields(const json::value& object) {
  EventBodyFields f;
  f.id = "evt_1";
  f.api_version = "2026-10-28.endive";
  f.created = 1767225600;
  f.data_object = &object;
  f.livemode = false;
  f.pending_webhooks = 2;
  f.type = "customer.created";
  return f;
}

TEST(EventBodyTest, PlatformEventHasNoAccountFieldAndStripeKeyOrder) {
  json::value object = json::parse(R"({"id":"cus_1","object":"customer","balance":0})");
  std::string body = render_event_body(base_fields(object));
  EXPECT_EQ(body,
            R"({"id":"evt_1","object":"event","api_version":"2026-10-28.endive",)"
            R"("created":1767225600,"data":{"object":{"id":"cus_1","object":"customer",)"
            R"("balance":0}},"livemode":false,"pending_webhooks":2,)"
            R"("request":{"id":null,"idempotency_key":null},"type":"customer.created"})");
}

TEST(EventBodyTest, ConnectedAccountEventCarriesAccountAndRequest) {
  json::value object = json::parse(R"({"id":"acct_2","object":"account"})");
  json::value previous = json::parse(R"({"email":"old@example.com"})");
  EventBodyFields f = base_fields(object);
  f.account_id = "acct_2";
  f.previous_attributes = &previous;
  f.livemode = true;
  f.request_id = "req_9";
  f.idempotency_key = "key-1";
  f.type = "account.updated";
  json::value body = json::parse(render_event_body(f));
  EXPECT_EQ(body.at("account"), "acct_2");
  EXPECT_EQ(body.at("data").at("previous_attributes").at("email"), "old@example.com");
  EXPECT_EQ(body.at("livemode"), true);
  EXPECT_EQ(body.at("request").at("id"), "req_9");
  EXPECT_EQ(body.at("request").at("idempotency_key"), "key-1");
  // "account" comes right after "object", as in Stripe's payloads.
  auto it = body.as_object().begin();
  EXPECT_EQ((it++)->key(), "id");
  EXPECT_EQ((it++)->key(), "object");
  EXPECT_EQ((it++)->key(), "account");
}

// The body as json::serialize writes the event object built as a json::object
// (how it was rendered before it was written piece by piece).
std::string serialized_as_object(const EventBodyFields& f) {
  json::object data;
  data["object"] = *f.data_object;
  if (f.previous_attributes != nullptr) data["previous_attributes"] = *f.previous_attributes;
  json::object body;
  body["id"] = f.id;
  body["object"] = "event";
  if (!f.account_id.empty()) body["account"] = f.account_id;
  body["api_version"] = f.api_version;
  body["created"] = f.created;
  body["data"] = std::move(data);
  body["livemode"] = f.livemode;
  body["pending_webhooks"] = f.pending_webhooks;
  body["request"] =
      json::object{{"id", f.request_id.empty() ? json::value(nullptr) : json::value(f.request_id)},
                   {"idempotency_key", f.idempotency_key.empty() ? json::value(nullptr)
                                                                 : json::value(f.idempotency_key)}};
  body["type"] = f.type;
  return json::serialize(body);
}

TEST(EventBodyTest, BytesAreThoseOfTheSerializedEventObject) {
  // Escapes, non-ASCII, control characters, big and fractional numbers, nesting.
  json::value object = json::parse(
      "{\"id\":\"cus_\\\"q\\\"\",\"object\":\"customer\",\"name\":\"Zo\u00eb \\u0001 \\/ tab\\t\","
      "\"n\":18446744073709551615,\"m\":-9223372036854775808,\"f\":0.1,\"e\":2e3,"
      "\"nested\":{\"a\":[1,null,true,false,{\"b\":\"\"}]},\"empty\":{}}");
  json::value previous = json::parse(R"({"name":"A \"quoted\" one"})");
  EventBodyFields f = base_fields(object);
  EXPECT_EQ(render_event_body(f), serialized_as_object(f));
  f.account_id = "acct_\"odd\"";
  f.previous_attributes = &previous;
  f.livemode = true;
  f.pending_webhooks = 1234;
  f.created = -1;
  f.request_id = "req_\u0002";
  f.idempotency_key = "k\u00e9y";
  f.type = "customer.updated";
  EXPECT_EQ(render_event_body(f), serialized_as_object(f));
}

// The publisher keeps data.object's JSON (the objects table) from the body
// instead of serializing the object a second time.
TEST(EventBodyTest, RenderedBodyLocatesDataObject) {
  json::value object = json::parse(R"({"id":"cus_1","object":"customer","note":"}\"{","x":[1.5]})");
  json::value previous = json::parse(R"({"id":"old"})");
  EventBodyFields f = base_fields(object);
  f.account_id = "acct_2";
  f.previous_attributes = &previous;
  const RenderedEventBody rendered = render_event_body_with_object(f);
  EXPECT_EQ(rendered.body, render_event_body(f));
  EXPECT_EQ(rendered.object_json(), json::serialize(object));
  EXPECT_EQ(json::parse(rendered.body).at("data").at("object"), object);
}

}  // namespace
}  // namespace hookline
