// Issue 12 item 2: an endpoint pinned to an API version receives the event
// with that api_version, every other byte as stored.
#include "delivery/delivered_body.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hookline::delivery {
namespace {

const std::string kPlatformEvent =
    R"({"id":"evt_1","object":"event","api_version":"2026-10-28.endive","created":1,)"
    R"("data":{"object":{"id":"we_1","api_version":"2024-06-20","amount":1.10}},"livemode":false,)"
    R"("pending_webhooks":2,"request":{"id":null,"idempotency_key":null},"type":"x.y"})";
const std::string kConnectedEvent =
    R"({"id":"evt_2","object":"event","account":"acct_1","api_version":"2026-10-28.endive",)"
    R"("created":1,"data":{"object":{"api_version":"2026-10-28.endive"}},"type":"x.y"})";

std::string with_version(std::string body, const std::string& version) {
  const std::string from = R"("api_version":"2026-10-28.endive")";
  body.replace(body.find(from), from.size(), R"("api_version":")" + version + '"');
  return body;
}

TEST(DeliveredBodyTest, Issue12Item2TheEndpointsApiVersionReplacesTheTopLevelOneOnly) {
  struct Case {
    const std::string* stored;
    std::string endpoint_version;
    std::string expected;
  };
  const Case cases[] = {
      {&kPlatformEvent, "", kPlatformEvent},
      {&kPlatformEvent, "2026-10-28.endive", kPlatformEvent},
      {&kPlatformEvent, "2025-03-31.basil", with_version(kPlatformEvent, "2025-03-31.basil")},
      {&kPlatformEvent, "2011-01-01", with_version(kPlatformEvent, "2011-01-01")},
      {&kConnectedEvent, "", kConnectedEvent},
      {&kConnectedEvent, "2024-09-30.acacia", with_version(kConnectedEvent, "2024-09-30.acacia")},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(body_for_endpoint(*c.stored, c.endpoint_version), c.expected)
        << '"' << c.endpoint_version << '"';
  }
  // The nested api_version of the data object is the object's own, untouched.
  const std::string basil = body_for_endpoint(kConnectedEvent, "2025-03-31.basil");
  EXPECT_NE(basil.find(R"("data":{"object":{"api_version":"2026-10-28.endive"}})"),
            std::string::npos)
      << basil;
  EXPECT_NE(basil.find(R"("account":"acct_1","api_version":"2025-03-31.basil")"),
            std::string::npos)
      << basil;
}

}  // namespace
}  // namespace hookline::delivery
