#pragma once
// Which addresses a live delivery may connect to: only globally routable
// unicast ones, so that an endpoint URL cannot point hookline at the machine
// it runs on or at its private network (SSRF). Checked on the address actually
// connected to, after DNS. A pure rule, following the IANA special-purpose
// address registries.
//
// Refused: IPv4 0/8, 10/8, 100.64/10 (CGNAT), 127/8, 169.254/16, 172.16/12,
// 192.0.0/24, 192.0.2/24, 192.88.99/24, 192.168/16, 198.18/15,
// 198.51.100/24, 203.0.113/24, 224/4 (multicast), 240/4 (reserved and
// broadcast); IPv6 outside 2000::/3 (::, ::1, fc00::/7, fe80::/10, fec0::/10,
// ff00::/8, 100::/64, 64:ff9b:1::/48, …), 2001::/23 (Teredo, benchmarking,
// ORCHID), 2001:db8::/32 and 3fff::/20 (documentation), and every IPv4-compatible
// address (::a.b.c.d, deprecated). IPv4 carried in IPv6 — mapped ::ffff:a.b.c.d,
// translated ::ffff:0:a.b.c.d, NAT64 64:ff9b::a.b.c.d, 6to4 2002:AABB:CCDD:: —
// is judged by its IPv4 address.
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hookline::delivery {

// `address` in host byte order (0x7f000001 is 127.0.0.1).
bool is_public_ipv4(uint32_t address);
bool is_public_ipv6(const std::array<uint8_t, 16>& address);
// An AF_INET or AF_INET6 socket address; any other family is not public.
bool is_public_address(const sockaddr* address, std::size_t length);
// A numeric address ("93.184.216.34", "2606:4700::1111"); false if it does not parse.
bool is_public_address(std::string_view text);
// 127.0.0.0/8, ::1 or ::ffff:127.x.y.z; false for anything else, "0.0.0.0" and "::" included.
bool is_loopback_address(std::string_view text);

}  // namespace hookline::delivery
