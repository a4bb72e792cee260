// The Event a verified payload parses into, and the PayloadErrors of bodies that
// are not events.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "hookline/webhook.hpp"
#include "sdk_test_support.hpp"

namespace hookline {
namespace {

using namespace hookline::testing;

Event construct(const std::string& payload) {
  return construct_event(payload, generate_test_header(payload, kSecret, kT), kSecret,
                         kDefaultTolerance, at(kT));
}

// The PayloadError message of `payload`, or "OK".
std::string payload_verdict(const std::string& payload) {
  try {
    construct(payload);
    return "OK";
  } catch (const PayloadError& e) {
    return e.what();
  }
}

TEST(Event, TypedAccessors) {
  const std::string payload = R"({"id":"evt_9","object":"event","account":"acct_42",)"
                              R"("api_version":"2026-10-28.endive","created":1699999999,)"
                              R"("livemode":true,"pending_webhooks":2,"type":"customer.updated",)"
                              R"("data":{"object":{"id":"cus_1","name":"New"},)"
                              R"("previous_attributes":{"name":"Old"}}})";
  const Event e = construct(payload);
  EXPECT_EQ(e.id(), "evt_9");
  EXPECT_EQ(e.type(), "customer.updated");
  EXPECT_EQ(e.account(), "acct_42");
  EXPECT_TRUE(e.livemode());
  EXPECT_EQ(e.created(), 1699999999);
  EXPECT_EQ(e.api_version(), "2026-10-28.endive");
  EXPECT_EQ(e.data_object().at("id").as_string(), "cus_1");
  ASSERT_NE(e.previous_attributes(), nullptr);
  EXPECT_EQ(e.previous_attributes()->at("name").as_string(), "Old");
  EXPECT_EQ(e.json().at("pending_webhooks").as_int64(), 2);
  EXPECT_EQ(e.raw(), payload);
}

TEST(Event, PlatformEventHasNoAccount) {
  const Event e = construct(event_json("evt_2", "charge.succeeded", ""));
  EXPECT_FALSE(e.account().has_value());
  EXPECT_EQ(e.previous_attributes(), nullptr);
  EXPECT_FALSE(e.livemode());
  EXPECT_EQ(e.created(), 1700000000);
  EXPECT_FALSE(construct(event_json("evt_3", "charge.succeeded", R"(,"account":null)"))
                   .account()
                   .has_value());
}

TEST(Event, NullsAndMissingOptionalFields) {
  const Event e = construct(
      R"({"id":"evt_1","type":"x","api_version":null,"data":{"object":{},"previous_attributes":null}})");
  EXPECT_EQ(e.api_version(), "");
  EXPECT_EQ(e.previous_attributes(), nullptr);
  EXPECT_EQ(e.created(), 0);
  EXPECT_FALSE(e.livemode());
  EXPECT_TRUE(e.data_object().empty());
}

TEST(Event, CopiesShareTheDocument) {
  Event copy = construct(event_json());
  {
    const Event original = construct(event_json("evt_orig"));
    copy = original;
  }
  EXPECT_EQ(copy.id(), "evt_orig");
  EXPECT_EQ(copy.data_object().at("amount").as_int64(), 2000);
}

TEST(Event, DeepObjectsParse) {
  std::string nested = "{}";
  for (int i = 0; i < 100; ++i) nested = R"({"a":)" + nested + "}";
  EXPECT_EQ(payload_verdict(R"({"id":"evt_1","type":"x","data":{"object":)" + nested + "}}"), "OK");
}

TEST(Event, BodiesThatAreNotEventsArePayloadErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json", "Payload is not valid JSON"},
      {R"({"id":"evt_1")", "Payload is not valid JSON"},
      {event_json() + "x", "Payload is not valid JSON"},
      {"{\"id\":\"evt_\xff\",\"type\":\"x\",\"data\":{\"object\":{}}}",
       "Payload is not valid JSON"},
      {"[]", "Payload is not a JSON object"},
      {"42", "Payload is not a JSON object"},
      {"\"evt\"", "Payload is not a JSON object"},
      {"null", "Payload is not a JSON object"},
      {R"({"type":"x","data":{"object":{}}})", R"(Event payload has no string field "id")"},
      {R"({"id":1,"type":"x","data":{"object":{}}})", R"(Event payload has no string field "id")"},
      {R"({"id":"evt_1","data":{"object":{}}})", R"(Event payload has no string field "type")"},
      {R"({"id":"evt_1","type":"x"})", R"(Event payload has no object field "data")"},
      {R"({"id":"evt_1","type":"x","data":[]})", R"(Event payload has no object field "data")"},
      {R"({"id":"evt_1","type":"x","data":{}})",
       R"(Event payload has no object field "data.object")"},
      {R"({"id":"evt_1","type":"x","data":{"object":"pi_1"}})",
       R"(Event payload has no object field "data.object")"},
      {R"({"id":"evt_1","type":"x","data":{"object":{},"previous_attributes":[]}})",
       R"(Event payload field "data.previous_attributes" is not an object)"},
      {R"({"id":"evt_1","type":"x","account":7,"data":{"object":{}}})",
       R"(Event payload field "account" is not a string)"},
      {R"({"id":"evt_1","type":"x","livemode":"true","data":{"object":{}}})",
       R"(Event payload field "livemode" is not a boolean)"},
      {R"({"id":"evt_1","type":"x","created":"1","data":{"object":{}}})",
       R"(Event payload field "created" is not an integer)"},
      {R"({"id":"evt_1","type":"x","created":1.5,"data":{"object":{}}})",
       R"(Event payload field "created" is not an integer)"},
      {R"({"id":"evt_1","type":"x","created":18446744073709551615,"data":{"object":{}}})",
       R"(Event payload field "created" is not an integer)"},
  };
  for (const auto& [payload, message] : cases) {
    EXPECT_EQ(payload_verdict(payload).substr(0, message.size()), message) << payload;
  }
}

TEST(Event, ParseEventSkipsVerification) {
  EXPECT_EQ(parse_event(event_json("evt_unverified")).id(), "evt_unverified");
  EXPECT_THROW(parse_event("[1]"), PayloadError);
}

TEST(ConstructEvent, ConcurrentCallsAreIndependent) {
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      const std::string secret = "whsec_thread" + std::to_string(i);
      for (int n = 0; n < 300; ++n) {
        const std::string payload =
            event_json("evt_" + std::to_string(i) + "_" + std::to_string(n));
        const Event e = construct_event(payload, generate_test_header(payload, secret, kT + n),
                                        secret, kDefaultTolerance, at(kT + n));
        ok[i] += e.raw() == payload;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int n : ok) EXPECT_EQ(n, 300);
}

}  // namespace
}  // namespace hookline
