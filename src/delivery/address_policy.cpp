#include "delivery/address_policy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>
#include <string>

namespace hookline::delivery {

namespace {

struct Ipv4Block {
  uint32_t prefix;
  int length;
};

// IANA IPv4 special-purpose address registry (not globally reachable ones).
constexpr Ipv4Block kBlockedIpv4[] = {
    {0x00000000, 8},   // 0.0.0.0/8       "this network"
    {0x0a000000, 8},   // 10.0.0.0/8      private
    {0x64400000, 10},  // 100.64.0.0/10   shared address space (CGNAT)
    {0x7f000000, 8},   // 127.0.0.0/8     loopback
    {0xa9fe0000, 16},  // 169.254.0.0/16  link-local
    {0xac100000, 12},  // 172.16.0.0/12   private
    {0xc0000000, 24},  // 192.0.0.0/24    IETF protocol assignments
    {0xc0000200, 24},  // 192.0.2.0/24    documentation (TEST-NET-1)
    {0xc0586300, 24},  // 192.88.99.0/24  6to4 relay anycast (deprecated)
    {0xc0a80000, 16},  // 192.168.0.0/16  private
    {0xc6120000, 15},  // 198.18.0.0/15   benchmarking
    {0xc6336400, 24},  // 198.51.100.0/24 documentation (TEST-NET-2)
    {0xcb007100, 24},  // 203.0.113.0/24  documentation (TEST-NET-3)
    {0xe0000000, 4},   // 224.0.0.0/4     multicast
    {0xf0000000, 4},   // 240.0.0.0/4     reserved, and 255.255.255.255 broadcast
};

bool in_block(uint32_t address, const Ipv4Block& block) {
  const uint32_t mask = block.length == 0 ? 0 : ~uint32_t{0} << (32 - block.length);
  return (address & mask) == (block.prefix & mask);
}

uint32_t ipv4_at(const std::array<uint8_t, 16>& a, std::size_t offset) {
  return (uint32_t{a[offset]} << 24) | (uint32_t{a[offset + 1]} << 16) |
         (uint32_t{a[offset + 2]} << 8) | uint32_t{a[offset + 3]};
}

bool all_zero(const std::array<uint8_t, 16>& a, std::size_t begin, std::size_t end) {
  for (std::size_t i = begin; i < end; ++i) {
    if (a[i] != 0) return false;
  }
  return true;
}

}  // namespace

bool is_public_ipv4(uint32_t address) {
  for (const Ipv4Block& block : kBlockedIpv4) {
    if (in_block(address, block)) return false;
  }
  return true;
}

bool is_public_ipv6(const std::array<uint8_t, 16>& a) {
  // IPv4 carried in IPv6: judged by the IPv4 address.
  if (all_zero(a, 0, 10) && a[10] == 0xff && a[11] == 0xff) {
    return is_public_ipv4(ipv4_at(a, 12));  // ::ffff:a.b.c.d, mapped
  }
  if (all_zero(a, 0, 8) && a[8] == 0xff && a[9] == 0xff && a[10] == 0 && a[11] == 0) {
    return is_public_ipv4(ipv4_at(a, 12));  // ::ffff:0:a.b.c.d, translated (SIIT)
  }
  if (a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b && all_zero(a, 4, 12)) {
    return is_public_ipv4(ipv4_at(a, 12));  // 64:ff9b::/96, NAT64 well-known prefix
  }
  if (a[0] == 0x20 && a[1] == 0x02) {
    return is_public_ipv4(ipv4_at(a, 2));  // 2002::/16, 6to4
  }
  // Everything else outside global unicast 2000::/3: ::, ::1, ::/96 (IPv4-compatible),
  // 64:ff9b:1::/48, 100::/64, fc00::/7, fe80::/10, fec0::/10, ff00::/8, unassigned.
  if ((a[0] & 0xe0) != 0x20) return false;
  // 2001::/23: IETF protocol assignments (Teredo 2001::/32, benchmarking, ORCHID, …).
  if (a[0] == 0x20 && a[1] == 0x01 && (a[2] & 0xfe) == 0x00) return false;
  // Documentation: 2001:db8::/32 and 3fff::/20.
  if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) return false;
  if (a[0] == 0x3f && a[1] == 0xff && (a[2] & 0xf0) == 0x00) return false;
  return true;
}

bool is_public_address(const sockaddr* address, std::size_t length) {
  if (address == nullptr) return false;
  if (address->sa_family == AF_INET && length >= sizeof(sockaddr_in)) {
    sockaddr_in v4;
    std::memcpy(&v4, address, sizeof v4);
    return is_public_ipv4(ntohl(v4.sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
    sockaddr_in6 v6;
    std::memcpy(&v6, address, sizeof v6);
    std::array<uint8_t, 16> bytes;
    std::memcpy(bytes.data(), &v6.sin6_addr, bytes.size());
    return is_public_ipv6(bytes);
  }
  return false;
}

bool is_public_address(std::string_view text) {
  const std::string copy(text);  // inet_pton needs a terminated string
  in_addr v4;
  if (inet_pton(AF_INET, copy.c_str(), &v4) == 1) return is_public_ipv4(ntohl(v4.s_addr));
  std::array<uint8_t, 16> v6;
  if (inet_pton(AF_INET6, copy.c_str(), v6.data()) == 1) return is_public_ipv6(v6);
  return false;
}

bool is_loopback_address(std::string_view text) {
  const std::string copy(text);
  in_addr v4;
  if (inet_pton(AF_INET, copy.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  std::array<uint8_t, 16> v6;
  if (inet_pton(AF_INET6, copy.c_str(), v6.data()) != 1) return false;
  if (all_zero(v6, 0, 15) && v6[15] == 1) return true;                  // ::1
  return all_zero(v6, 0, 10) && v6[10] == 0xff && v6[11] == 0xff && v6[12] == 127;  // mapped
}

}  // namespace hookline::delivery
