#include "events/event_body.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

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

}  // namespace
}  // namespace hookline
