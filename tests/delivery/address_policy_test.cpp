#include "delivery/address_policy.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstring>

namespace hookline::delivery {
namespace {

struct Case {
  const char* address;
  bool is_public;
  const char* why;
};

const Case kIpv4[] = {
    // Public.
    {"8.8.8.8", true, "public"},
    {"93.184.216.34", true, "public"},
    {"1.1.1.1", true, "public"},
    {"9.255.255.255", true, "just below 10/8"},
    {"11.0.0.0", true, "just above 10/8"},
    {"100.63.255.255", true, "just below 100.64/10"},
    {"100.128.0.0", true, "just above 100.64/10"},
    {"126.255.255.255", true, "just below 127/8"},
    {"128.0.0.0", true, "just above 127/8"},
    {"169.253.255.255", true, "just below 169.254/16"},
    {"169.255.0.0", true, "just above 169.254/16"},
    {"172.15.255.255", true, "just below 172.16/12"},
    {"172.32.0.0", true, "just above 172.16/12"},
    {"191.255.255.255", true, "just below 192.0.0/24"},
    {"192.0.1.1", true, "between 192.0.0/24 and 192.0.2/24"},
    {"192.0.3.0", true, "just above 192.0.2/24"},
    {"192.88.98.255", true, "just below 192.88.99/24"},
    {"192.167.255.255", true, "just below 192.168/16"},
    {"192.169.0.0", true, "just above 192.168/16"},
    {"198.17.255.255", true, "just below 198.18/15"},
    {"198.20.0.0", true, "just above 198.18/15"},
    {"198.51.99.255", true, "just below 198.51.100/24"},
    {"203.0.112.255", true, "just below 203.0.113/24"},
    {"203.0.114.0", true, "just above 203.0.113/24"},
    {"223.255.255.255", true, "just below multicast"},
    // Not public.
    {"0.0.0.0", false, "unspecified"},
    {"0.255.255.255", false, "this network 0/8"},
    {"10.0.0.1", false, "private 10/8"},
    {"10.255.255.255", false, "private 10/8"},
    {"100.64.0.1", false, "CGNAT 100.64/10"},
    {"100.127.255.255", false, "CGNAT 100.64/10"},
    {"127.0.0.1", false, "loopback"},
    {"127.255.255.254", false, "loopback 127/8"},
    {"169.254.169.254", false, "link-local (cloud metadata)"},
    {"172.16.0.1", false, "private 172.16/12"},
    {"172.31.255.255", false, "private 172.16/12"},
    {"192.0.0.8", false, "IETF protocol assignments"},
    {"192.0.2.1", false, "documentation TEST-NET-1"},
    {"192.88.99.1", false, "6to4 relay anycast"},
    {"192.168.1.1", false, "private 192.168/16"},
    {"198.18.0.1", false, "benchmarking 198.18/15"},
    {"198.19.255.255", false, "benchmarking 198.18/15"},
    {"198.51.100.7", false, "documentation TEST-NET-2"},
    {"203.0.113.9", false, "documentation TEST-NET-3"},
    {"224.0.0.1", false, "multicast"},
    {"239.255.255.250", false, "multicast"},
    {"240.0.0.1", false, "reserved 240/4"},
    {"255.255.255.255", false, "broadcast"},
};

const Case kIpv6[] = {
    // Public.
    {"2606:4700:4700::1111", true, "public"},
    {"2a00:1450:4001:80b::200e", true, "public"},
    {"2001:200::1", true, "just above 2001::/23"},
    {"2001:db7:ffff::1", true, "just below 2001:db8::/32"},
    {"2001:db9::1", true, "just above 2001:db8::/32"},
    {"3ffe:ffff::1", true, "just below 3fff::/20"},
    {"3fff:1000::1", true, "just above 3fff::/20"},
    {"::ffff:8.8.8.8", true, "IPv4-mapped public"},
    {"::ffff:0:8.8.8.8", true, "IPv4-translated public"},
    {"64:ff9b::808:808", true, "NAT64 of public 8.8.8.8"},
    {"2002:808:808::1", true, "6to4 of public 8.8.8.8"},
    // Not public.
    {"::", false, "unspecified"},
    {"::1", false, "loopback"},
    {"::ffff:127.0.0.1", false, "IPv4-mapped loopback"},
    {"::ffff:10.1.2.3", false, "IPv4-mapped private"},
    {"::ffff:169.254.169.254", false, "IPv4-mapped link-local"},
    {"::ffff:0.0.0.0", false, "IPv4-mapped unspecified"},
    {"::ffff:0:192.168.0.1", false, "IPv4-translated private"},
    {"::127.0.0.1", false, "IPv4-compatible loopback"},
    {"::8.8.8.8", false, "IPv4-compatible (deprecated)"},
    {"64:ff9b::7f00:1", false, "NAT64 of loopback"},
    {"64:ff9b::a00:1", false, "NAT64 of private"},
    {"64:ff9b::a9fe:a9fe", false, "NAT64 of link-local"},
    {"64:ff9b:1::1", false, "local-use NAT64"},
    {"2002:7f00:1::1", false, "6to4 of loopback"},
    {"2002:c0a8:101::1", false, "6to4 of private"},
    {"100::1", false, "discard-only"},
    {"fc00::1", false, "unique local fc00::/7"},
    {"fd12:3456:789a::1", false, "unique local fc00::/7"},
    {"fe80::1", false, "link-local fe80::/10"},
    {"febf:ffff::1", false, "link-local fe80::/10"},
    {"fec0::1", false, "site-local (deprecated)"},
    {"ff02::1", false, "multicast"},
    {"ff0e::1", false, "multicast"},
    {"2001::1", false, "Teredo"},
    {"2001:2::1", false, "benchmarking"},
    {"2001:10::1", false, "ORCHID"},
    {"2001:20::1", false, "ORCHIDv2"},
    {"2001:1ff:ffff::1", false, "top of 2001::/23"},
    {"2001:db8::1", false, "documentation"},
    {"3fff::1", false, "documentation 3fff::/20"},
    {"5f00::1", false, "SRv6 SIDs, outside 2000::/3"},
    {"4000::1", false, "unassigned, outside 2000::/3"},
    {"1::1", false, "unassigned, outside 2000::/3"},
};

TEST(AddressPolicyTest, Ipv4Table) {
  for (const Case& c : kIpv4) {
    EXPECT_EQ(is_public_address(c.address), c.is_public) << c.address << " (" << c.why << ")";
  }
}

TEST(AddressPolicyTest, Ipv6Table) {
  for (const Case& c : kIpv6) {
    EXPECT_EQ(is_public_address(c.address), c.is_public) << c.address << " (" << c.why << ")";
  }
}

TEST(AddressPolicyTest, SocketAddressesMatchTheTextForm) {
  for (const Case& c : kIpv4) {
    sockaddr_in v4{};
    v4.sin_family = AF_INET;
    v4.sin_port = htons(443);
    ASSERT_EQ(inet_pton(AF_INET, c.address, &v4.sin_addr), 1) << c.address;
    EXPECT_EQ(is_public_address(reinterpret_cast<const sockaddr*>(&v4), sizeof v4), c.is_public)
        << c.address;
  }
  for (const Case& c : kIpv6) {
    sockaddr_in6 v6{};
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(443);
    ASSERT_EQ(inet_pton(AF_INET6, c.address, &v6.sin6_addr), 1) << c.address;
    EXPECT_EQ(is_public_address(reinterpret_cast<const sockaddr*>(&v6), sizeof v6), c.is_public)
        << c.address;
  }
}

TEST(AddressPolicyTest, EveryEmbeddedBlockedIpv4IsBlockedInEveryIpv6Form) {
  for (const Case& c : kIpv4) {
    in_addr v4;
    ASSERT_EQ(inet_pton(AF_INET, c.address, &v4), 1);
    const uint32_t a = ntohl(v4.s_addr);
    auto embed = [&](std::array<uint8_t, 16> bytes, std::size_t offset) {
      bytes[offset] = static_cast<uint8_t>(a >> 24);
      bytes[offset + 1] = static_cast<uint8_t>(a >> 16);
      bytes[offset + 2] = static_cast<uint8_t>(a >> 8);
      bytes[offset + 3] = static_cast<uint8_t>(a);
      return bytes;
    };
    const std::array<uint8_t, 16> mapped = embed({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 12);
    const std::array<uint8_t, 16> translated = embed({0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 12);
    const std::array<uint8_t, 16> nat64 = embed({0, 0x64, 0xff, 0x9b}, 12);
    const std::array<uint8_t, 16> six_to_four = embed({0x20, 0x02}, 2);
    EXPECT_EQ(is_public_ipv6(mapped), c.is_public) << "mapped " << c.address;
    EXPECT_EQ(is_public_ipv6(translated), c.is_public) << "translated " << c.address;
    EXPECT_EQ(is_public_ipv6(nat64), c.is_public) << "NAT64 " << c.address;
    EXPECT_EQ(is_public_ipv6(six_to_four), c.is_public) << "6to4 " << c.address;
    EXPECT_FALSE(is_public_ipv6(embed({}, 12))) << "compatible " << c.address;
  }
}

TEST(AddressPolicyTest, OtherFamiliesAndBadInputAreNotPublic) {
  sockaddr_un unix_address{};
  unix_address.sun_family = AF_UNIX;
  EXPECT_FALSE(is_public_address(reinterpret_cast<const sockaddr*>(&unix_address),
                                 sizeof unix_address));
  EXPECT_FALSE(is_public_address(nullptr, 0));
  sockaddr_in truncated{};
  truncated.sin_family = AF_INET;
  inet_pton(AF_INET, "8.8.8.8", &truncated.sin_addr);
  EXPECT_FALSE(is_public_address(reinterpret_cast<const sockaddr*>(&truncated), 4));
  EXPECT_FALSE(is_public_address(""));
  EXPECT_FALSE(is_public_address("example.com"));
  EXPECT_FALSE(is_public_address("8.8.8"));
  EXPECT_FALSE(is_public_address("fe80::1%eth0"));
}

}  // namespace
}  // namespace hookline::delivery
