// Found by fuzz/event_json_fuzzer: POST /v1/events with a JSON body holding a
// number beyond a double's range (1e891) was accepted; Boost.JSON 1.81 reads it
// as infinity, and the event body every endpoint receives held `Infinity`,
// which is not JSON. Such a body is now refused (400) and nothing is stored.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "fuzz_regressions/publish_pipeline_fixture.hpp"

namespace hookline::api {
namespace {

using EventJsonInfiniteNumber = testing::PublishPipelineFixture;

TEST_F(EventJsonInfiniteNumber, ANumberBeyondADoubleIsRefusedAndNothingIsStored) {
  for (const char* number : {"1e891", "-1e400", "1.8e308"}) {
    const ApiResponse response =
        publish(std::string(R"({"type":"charge.captured","data":{"object":{"id":"ch_1","exp":)") +
                number + "}}}");
    EXPECT_EQ(response.status, 400) << number;
    const boost::json::value body = boost::json::parse(response.body);
    EXPECT_EQ(body.at("error").at("type"), "invalid_request_error");
    EXPECT_EQ(body.at("error").at("param"), "data[object][exp]");  // the field is named
    EXPECT_NE(std::string(body.at("error").at("message").as_string()).find("cannot be kept"),
              std::string::npos);
  }
  EXPECT_EQ(events_kept(), 0u);
}

// The extremes that do round-trip are kept (4.9e-324 would not: the smallest
// double is spelt 5e-324, and a number that does not round-trip is refused).
TEST_F(EventJsonInfiniteNumber, TheLargestDoubleIsKeptAndTheBodyStaysJson) {
  const ApiResponse response = publish(
      R"({"type":"charge.captured","data":{"object":{"id":"ch_1","max":1.7976931348623157e308,"tiny":5e-324}}})");
  ASSERT_EQ(response.status, 200) << response.body;
  const std::string id(boost::json::parse(response.body).at("id").as_string());
  const auto stored = store().get_event(id);
  ASSERT_TRUE(stored.has_value());
  const boost::json::value body = boost::json::parse(stored->body);
  EXPECT_EQ(body.at("data").at("object").at("max").as_double(), 1.7976931348623157e308);
  EXPECT_EQ(events_kept(), 1u);
}

}  // namespace
}  // namespace hookline::api
