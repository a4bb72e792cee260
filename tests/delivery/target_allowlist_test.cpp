// The operator's exceptions to the address policy, and who is held to it
// (issue 10, read-SSRF through test endpoints).
#include "delivery/target_allowlist.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "delivery/address_policy.hpp"

namespace hookline::delivery {
namespace {

TargetAllowlist allowlist_of(std::initializer_list<const char*> entries) {
  TargetAllowlist allowlist;
  for (const char* entry : entries) allowlist.add(entry);
  return allowlist;
}

struct AddressCase {
  const char* address;
  bool allowed;
};

TEST(TargetAllowlistTest, AddressBlocksTable) {
  const TargetAllowlist allowlist =
      allowlist_of({"10.1.0.0/16", "192.168.7.9", "fd00:1::/32", "172.16.0.0/13", "::1"});
  const AddressCase cases[] = {
      {"10.1.0.0", true},          {"10.1.255.255", true},    {"10.2.0.1", false},
      {"10.0.255.255", false},     {"192.168.7.9", true},     {"192.168.7.8", false},
      {"172.23.255.255", true},    {"172.24.0.0", false},     {"fd00:1::5", true},
      {"fd00:1:ffff::1", true},    {"fd00:2::1", false},      {"::1", true},
      {"::2", false},              {"::ffff:10.1.2.3", true},  // IPv4-mapped: the IPv4 block
      {"127.0.0.1", false},        {"169.254.169.254", false}, {"not an address", false},
      {"", false},
  };
  for (const AddressCase& c : cases) {
    EXPECT_EQ(allowlist.allows_address(c.address), c.allowed) << c.address;
  }
}

TEST(TargetAllowlistTest, SocketAddressesAreJudgedLikeTheirText) {
  const TargetAllowlist allowlist = allowlist_of({"127.0.0.0/8", "fe80::/10"});
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  inet_pton(AF_INET, "127.3.4.5", &v4.sin_addr);
  EXPECT_TRUE(allowlist.allows_address(reinterpret_cast<sockaddr*>(&v4), sizeof v4));
  inet_pton(AF_INET, "10.0.0.1", &v4.sin_addr);
  EXPECT_FALSE(allowlist.allows_address(reinterpret_cast<sockaddr*>(&v4), sizeof v4));
  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  inet_pton(AF_INET6, "fe80::1", &v6.sin6_addr);
  EXPECT_TRUE(allowlist.allows_address(reinterpret_cast<sockaddr*>(&v6), sizeof v6));
  inet_pton(AF_INET6, "fc00::1", &v6.sin6_addr);
  EXPECT_FALSE(allowlist.allows_address(reinterpret_cast<sockaddr*>(&v6), sizeof v6));
  EXPECT_FALSE(allowlist.allows_address(reinterpret_cast<sockaddr*>(&v6), 4));  // truncated
  EXPECT_FALSE(allowlist.allows_address(nullptr, 0));
}

TEST(TargetAllowlistTest, ZeroLengthPrefixAllowsTheWholeFamily) {
  const TargetAllowlist v4 = allowlist_of({"0.0.0.0/0"});
  EXPECT_TRUE(v4.allows_address("10.0.0.1"));
  EXPECT_TRUE(v4.allows_address("127.0.0.1"));
  EXPECT_FALSE(v4.allows_address("::1"));
  const TargetAllowlist v6 = allowlist_of({"::/0"});
  EXPECT_TRUE(v6.allows_address("::1"));
  EXPECT_TRUE(v6.allows_address("10.0.0.1"));  // as ::ffff:10.0.0.1
}

TEST(TargetAllowlistTest, HostNamesCompareWithoutCaseAndOnlyWhole) {
  const TargetAllowlist allowlist = allowlist_of({"Hooks.Internal", "10.9.0.0/16"});
  EXPECT_TRUE(allowlist.allows_host("hooks.internal"));
  EXPECT_TRUE(allowlist.allows_host("HOOKS.INTERNAL"));
  EXPECT_FALSE(allowlist.allows_host("evil.hooks.internal"));
  EXPECT_FALSE(allowlist.allows_host("hooks.internal.evil.com"));
  EXPECT_TRUE(allowlist.allows_host("10.9.1.1"));  // an address literal: the blocks
  EXPECT_FALSE(allowlist.allows_host("[::1]"));
  EXPECT_TRUE(allowlist_of({"::1"}).allows_host("[::1]"));
}

TEST(TargetAllowlistTest, BadEntriesAreRefusedWithAMessage) {
  for (const char* entry : {"10.0.0.0/33", "fd00::/129", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/8x",
                            "host/8", "a b", "", "http://x", "10.0.0.0/8/8"}) {
    TargetAllowlist allowlist;
    EXPECT_THROW(allowlist.add(entry), std::invalid_argument) << entry;
    EXPECT_TRUE(allowlist.empty()) << entry;
  }
}

struct RuleCase {
  bool allow_all;
  bool allow_test_endpoints;
  bool with_allowlist;
  bool endpoint_livemode;
  const char* url;
  bool blocked;
};

TEST(PrivateTargetRulesTest, WhoIsHeldToTheAddressPolicy) {
  const auto allowlist = std::make_shared<TargetAllowlist>(allowlist_of({"hooks.internal"}));
  const RuleCase cases[] = {
      // The defaults on loopback: live endpoints held, test endpoints free.
      {false, true, false, true, "http://127.0.0.1:4242/x", true},
      {false, true, false, false, "http://127.0.0.1:4242/x", false},
      // Reachable from elsewhere: both held.
      {false, false, false, true, "http://169.254.169.254/latest/meta-data/", true},
      {false, false, false, false, "http://169.254.169.254/latest/meta-data/", true},
      // --allow-private-targets: nobody held.
      {true, false, false, true, "http://10.0.0.1/x", false},
      {true, false, false, false, "http://10.0.0.1/x", false},
      // An allowlisted host name lifts it; another host does not.
      {false, false, true, true, "https://HOOKS.internal:8443/x", false},
      {false, false, true, false, "http://hooks.internal/x", false},
      {false, false, true, false, "http://other.internal/x", true},
      {false, false, true, true, "not a url", true},
  };
  for (const RuleCase& c : cases) {
    PrivateTargetRules rules;
    rules.allow_all = c.allow_all;
    rules.allow_test_endpoints = c.allow_test_endpoints;
    if (c.with_allowlist) rules.allowlist = allowlist;
    EXPECT_EQ(rules.blocks(c.endpoint_livemode, c.url), c.blocked)
        << c.url << " live=" << c.endpoint_livemode << " all=" << c.allow_all
        << " test=" << c.allow_test_endpoints;
  }
}

TEST(AddressPolicyTest, LoopbackListenAddresses) {
  for (const char* yes : {"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(is_loopback_address(yes)) << yes;
  }
  for (const char* no : {"0.0.0.0", "::", "10.0.0.1", "192.168.1.1", "localhost", "", "::2",
                         "128.0.0.1", "::ffff:10.0.0.1"}) {
    EXPECT_FALSE(is_loopback_address(no)) << no;
  }
}

}  // namespace
}  // namespace hookline::delivery
