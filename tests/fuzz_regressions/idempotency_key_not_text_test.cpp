// Found by fuzz/http_request_fuzzer: POST /v1/events with an Idempotency-Key
// holding bytes that are not UTF-8 (0xFF) was accepted, and the key was written
// as it came into the event's request.idempotency_key: the event body, and so
// every delivery of it, was not JSON. A key must now be printable ASCII of at
// most 255 characters (Stripe's limit), or the request is refused (400) before
// anything is kept.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "fuzz_regressions/publish_pipeline_fixture.hpp"

namespace hookline::api {
namespace {

constexpr const char* kEvent = R"({"type":"charge.captured","data":{"object":{"id":"ch_1"}}})";

using IdempotencyKeyNotText = testing::PublishPipelineFixture;

TEST_F(IdempotencyKeyNotText, AKeyThatIsNotPrintableAsciiIsRefusedAndNothingIsStored) {
  for (const std::string& key : {std::string("publish-\xff\xff'1"), std::string("caf\xc3\xa9"),
                                std::string("tab\there"), std::string("nul\0x", 5)}) {
    const ApiResponse response = publish(kEvent, key);
    EXPECT_EQ(response.status, 400) << key;
    const boost::json::value body = boost::json::parse(response.body);  // valid JSON
    EXPECT_EQ(body.at("error").at("type"), "invalid_request_error");
    EXPECT_NE(std::string(body.at("error").at("message").as_string()).find("printable ASCII"),
              std::string::npos);
  }
  EXPECT_EQ(events_kept(), 0u);
}

TEST_F(IdempotencyKeyNotText, AKeyOfUpTo255CharactersIsKeptAndLongerIsRefused) {
  const ApiResponse longest = publish(kEvent, std::string(255, 'k'));
  ASSERT_EQ(longest.status, 200) << longest.body;
  const boost::json::value event = boost::json::parse(longest.body);
  EXPECT_EQ(std::string(event.at("request").at("idempotency_key").as_string()), std::string(255, 'k'));

  const ApiResponse too_long = publish(kEvent, std::string(256, 'k'));
  EXPECT_EQ(too_long.status, 400);
  EXPECT_NE(too_long.body.find("no longer than 255 characters"), std::string::npos)
      << too_long.body;
  EXPECT_EQ(events_kept(), 1u);
}

}  // namespace
}  // namespace hookline::api
