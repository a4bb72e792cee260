#include "delivery/target_allowlist.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <optional>
#include <stdexcept>

#include <boost/url/parse.hpp>

namespace hookline::delivery {

namespace {

constexpr int kMappedPrefixBits = 96;  // ::ffff:0:0/96 holds the IPv4 addresses

std::array<uint8_t, 16> mapped(const in_addr& v4) {
  std::array<uint8_t, 16> out{};
  out[10] = 0xff;
  out[11] = 0xff;
  std::memcpy(out.data() + 12, &v4, 4);
  return out;
}

// A numeric address as 16 bytes, IPv4 mapped; nullopt if it is not one.
// `bits` gets the address family's width (32 or 128).
std::optional<std::array<uint8_t, 16>> parse_address(std::string_view text, int* bits) {
  const std::string copy(text);
  in_addr v4{};
  if (inet_pton(AF_INET, copy.c_str(), &v4) == 1) {
    *bits = 32;
    return mapped(v4);
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, copy.c_str(), &v6) == 1) {
    *bits = 128;
    std::array<uint8_t, 16> out{};
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_host_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_';
  });
}

std::string_view unbracketed(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

}  // namespace

void TargetAllowlist::add(std::string_view entry) {
  const std::size_t slash = entry.find('/');
  int bits = 0;
  if (auto address = parse_address(unbracketed(entry.substr(0, slash)), &bits)) {
    int length = bits;
    if (slash != std::string_view::npos) {
      const std::string_view digits = entry.substr(slash + 1);
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
      if (ec != std::errc() || end != digits.data() + digits.size() || length < 0 ||
          length > bits) {
        throw std::invalid_argument("invalid prefix length in '" + std::string(entry) +
                                    "': expected 0 to " + std::to_string(bits));
      }
    }
    Block block{*address, length + (bits == 32 ? kMappedPrefixBits : 0)};
    blocks_.push_back(block);
    return;
  }
  if (slash == std::string_view::npos && is_host_name(entry)) {
    hosts_.push_back(lower(entry));
    return;
  }
  throw std::invalid_argument("'" + std::string(entry) +
                              "' is neither an address block (10.0.0.0/8, fd00::/8), an "
                              "address, nor a host name");
}

bool TargetAllowlist::allows(const std::array<uint8_t, 16>& address) const {
  for (const Block& block : blocks_) {
    const int whole = block.length / 8;
    const int rest = block.length % 8;
    if (std::memcmp(address.data(), block.prefix.data(), static_cast<std::size_t>(whole)) != 0) {
      continue;
    }
    if (rest == 0) return true;
    const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
    if ((address[static_cast<std::size_t>(whole)] & mask) ==
        (block.prefix[static_cast<std::size_t>(whole)] & mask)) {
      return true;
    }
  }
  return false;
}

bool TargetAllowlist::allows_host(std::string_view host) const {
  const std::string_view bare = unbracketed(host);
  if (allows_address(bare)) return true;
  const std::string name = lower(bare);
  return std::find(hosts_.begin(), hosts_.end(), name) != hosts_.end();
}

bool TargetAllowlist::allows_address(std::string_view text) const {
  int bits = 0;
  const auto address = parse_address(text, &bits);
  return address && allows(*address);
}

bool TargetAllowlist::allows_address(const sockaddr* address, std::size_t length) const {
  if (address == nullptr) return false;
  if (address->sa_family == AF_INET && length >= sizeof(sockaddr_in)) {
    return allows(mapped(reinterpret_cast<const sockaddr_in*>(address)->sin_addr));
  }
  if (address->sa_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
    std::array<uint8_t, 16> bytes{};
    std::memcpy(bytes.data(), &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, 16);
    return allows(bytes);
  }
  return false;
}

bool PrivateTargetRules::blocks(bool endpoint_livemode, std::string_view url) const {
  if (allow_all || (!endpoint_livemode && allow_test_endpoints)) return false;
  if (!allowlist || allowlist->empty()) return true;
  const auto parsed = boost::urls::parse_uri(url);
  return !parsed || !allowlist->allows_host(parsed->encoded_host());
}

}  // namespace hookline::delivery
