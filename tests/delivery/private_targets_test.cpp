// Issue 10, read-SSRF through test endpoints: when the server is reachable
// from elsewhere, test endpoints are held to the address policy too, and what
// a blocked attempt leaves readable is the error, never the target's answer.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "dispatcher_fixture.hpp"

namespace hookline::testing {
namespace {

class PrivateTargetsTest : public DispatcherTest {
 protected:
  PrivateTargetsTest() { options_.private_targets.allow_test_endpoints = false; }

  void allow(std::initializer_list<const char*> entries) {
    auto allowlist = std::make_shared<delivery::TargetAllowlist>();
    for (const char* entry : entries) allowlist->add(entry);
    options_.private_targets.allowlist = std::move(allowlist);
  }
};

TEST_F(PrivateTargetsTest, ReadSsrfThroughTestEndpointsIsRefusedOffLoopback) {
  receiver_.script("/meta-data", {Reply::with_status(200, "ami-id\ninstance-id\n")});
  add_endpoint("we_test", receiver_.url("/meta-data"), false);
  add_endpoint("we_live", receiver_.url("/meta-data"), true);
  const std::string event = publish({"we_test", "we_live"}, false);
  start();
  ASSERT_TRUE(attempts_reach(event, "we_test", 1));
  ASSERT_TRUE(attempts_reach(event, "we_live", 1));
  EXPECT_EQ(delivery_of(event, "we_test").last_error, "private_address_blocked");
  EXPECT_EQ(delivery_of(event, "we_live").last_error, "private_address_blocked");
  EXPECT_EQ(receiver_.connection_count(), 0u);
  for (const Attempt& attempt : attempts_of(event)) {
    EXPECT_EQ(attempt.response_excerpt, "") << "nothing of the target is readable";
  }
}

TEST_F(PrivateTargetsTest, AnAllowlistedAddressBlockIsReachedInBothModes) {
  allow({"127.0.0.0/8"});
  add_endpoint("we_test", receiver_.url("/test"), false);
  add_endpoint("we_live", receiver_.url("/live"), true);
  const std::string event = publish({"we_test", "we_live"}, false);
  start();
  EXPECT_TRUE(state_is(event, "we_test", DeliveryState::kSucceeded));
  EXPECT_TRUE(state_is(event, "we_live", DeliveryState::kSucceeded));
}

TEST_F(PrivateTargetsTest, AnAllowlistedHostNameIsReachedAndNoOtherPrivateTarget) {
  allow({"localhost", "10.0.0.0/8"});
  add_endpoint("we_named", "http://LOCALHOST:" + std::to_string(receiver_.port()) + "/named",
               true);
  add_endpoint("we_other", receiver_.url("/other"), true);  // 127.0.0.1: not in the list
  const std::string event = publish({"we_named", "we_other"}, true);
  start();
  EXPECT_TRUE(state_is(event, "we_named", DeliveryState::kSucceeded));
  ASSERT_TRUE(attempts_reach(event, "we_other", 1));
  EXPECT_EQ(delivery_of(event, "we_other").last_error, "private_address_blocked");
  EXPECT_EQ(receiver_.requests("/other").size(), 0u);
}

}  // namespace
}  // namespace hookline::testing
