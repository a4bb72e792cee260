#pragma once
// Private targets an operator lets deliveries reach although the address
// policy (address_policy.hpp) refuses them: address blocks ("10.1.0.0/16",
// "fd00::/8", "192.168.1.7") judged on the address actually connected to,
// after DNS, and host names ("hooks.internal") judged on the endpoint URL's
// host. Pure, no I/O; immutable once built, so shared by the sender's threads.
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hookline::delivery {

class TargetAllowlist {
 public:
  // One entry: a CIDR block, a single address, or a host name. Throws
  // std::invalid_argument with a message for the operator when it is neither.
  void add(std::string_view entry);

  bool empty() const { return blocks_.empty() && hosts_.empty(); }
  // `host` as it appears in a URL ("Hooks.Internal", "[fd00::1]"): names
  // compare without case; an address in brackets or not is judged by the blocks.
  bool allows_host(std::string_view host) const;
  bool allows_address(const sockaddr* address, std::size_t length) const;
  bool allows_address(std::string_view text) const;  // numeric, "10.0.0.7" or "fd00::1"

 private:
  struct Block {
    std::array<uint8_t, 16> prefix{};  // IPv4 as ::ffff:a.b.c.d
    int length = 0;                    // of the prefix, in bits over the 16 bytes
  };
  bool allows(const std::array<uint8_t, 16>& address) const;

  std::vector<Block> blocks_;
  std::vector<std::string> hosts_;  // lower case
};

// Which deliveries must keep off private, loopback and link-local addresses:
// the operator's choices (serve flags) applied to one endpoint.
struct PrivateTargetRules {
  bool allow_all = false;  // --allow-private-targets: every endpoint may
  // Test endpoints may (the local developer flow); the server turns this off
  // when it listens on anything but loopback.
  bool allow_test_endpoints = true;
  std::shared_ptr<const TargetAllowlist> allowlist;  // --allow-target: these may, always

  // Whether a delivery to `url` for an endpoint in `livemode` is held to the
  // address policy (an allowlisted host name lifts it; allowlisted address
  // blocks are judged when connecting, see SendRequest).
  bool blocks(bool endpoint_livemode, std::string_view url) const;
};

}  // namespace hookline::delivery
