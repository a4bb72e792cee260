#pragma once
// The parser of a Stripe-Signature header value: one pass, no allocation (it
// returns views into the header). Items are separated by ',' and split at their
// first '='; keys are compared exactly (no trimming, as the official SDKs do);
// unknown keys are ignored.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace hookline::sdk {

struct ParsedHeader {
  // The value of the single `t=` item, when it is a decimal integer of at most
  // 18 digits. Empty when `t` is missing, repeated, empty or not a number.
  std::optional<int64_t> timestamp;
  // How many `v1` items the header has, well-formed or not.
  std::size_t v1_count = 0;
  // The values of the first kKeptV1 of them (a `v1` without '=' has an empty value).
  static constexpr std::size_t kKeptV1 = 8;
  std::string_view v1(std::size_t i) const { return {v1_[i].data, v1_[i].size}; }
  void keep_v1(std::string_view value) {
    if (v1_count < kKeptV1) v1_[v1_count] = {value.data(), value.size()};
    ++v1_count;
  }

 private:
  // Left uninitialized (a string_view array would be zeroed on every parse).
  struct Span {
    const char* data;
    std::size_t size;
  };
  std::array<Span, kKeptV1> v1_;
};

ParsedHeader parse_header(std::string_view header);

// Calls fn(value) for the value of each `v1` item, in order, until fn returns
// true; returns whether it did. For headers with more than kKeptV1 of them.
template <typename Fn>
bool any_v1(std::string_view header, Fn&& fn) {
  while (true) {
    const std::size_t comma = header.find(',');
    const std::string_view item = header.substr(0, comma);
    const std::size_t eq = item.find('=');
    if (item.substr(0, eq) == "v1") {
      if (fn(eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1))) return true;
    }
    if (comma == std::string_view::npos) return false;
    header.remove_prefix(comma + 1);
  }
}

}  // namespace hookline::sdk
