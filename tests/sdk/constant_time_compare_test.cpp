// The SDK compares signatures only through signing::constant_time_equals. This
// executable is linked with `-Wl,--wrap=<that function>` (tests/sdk/CMakeLists.txt):
// every call the SDK makes lands in the counting wrapper below, which forwards
// to the real function. A comparison written with `==` or memcmp would verify
// signatures with no call counted.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "hookline/webhook.hpp"

namespace {

std::atomic<int> compares{0};

}  // namespace

// The real function and its wrapper, by their mangled names (GNU ld --wrap).
bool real_constant_time_equals(std::string_view a, std::string_view b) __asm__(
    "__real__ZN8hookline7signing20constant_time_equalsESt17basic_string_viewIcSt11char_"
    "traitsIcEES4_");
bool counting_constant_time_equals(std::string_view a, std::string_view b) __asm__(
    "__wrap__ZN8hookline7signing20constant_time_equalsESt17basic_string_viewIcSt11char_"
    "traitsIcEES4_");
bool counting_constant_time_equals(std::string_view a, std::string_view b) {
  ++compares;
  return real_constant_time_equals(a, b);
}

namespace {

constexpr std::string_view kPayload = R"({"id":"evt_1","object":"event"})";
constexpr std::string_view kSecret = "whsec_constant";
constexpr int64_t kTimestamp = 1'700'000'000;
const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(kTimestamp));

std::string v1_of(std::string_view secret) {
  const std::string header = hookline::generate_test_header(kPayload, secret, kTimestamp);
  return header.substr(header.find("v1="));
}

bool verifies(const std::string& header) {
  try {
    hookline::verify_signature(kPayload, header, kSecret, std::chrono::seconds(300), kNow);
    return true;
  } catch (const hookline::SignatureVerificationError&) {
    return false;
  }
}

TEST(ConstantTimeCompare, EveryV1CandidateIsComparedInConstantTime) {
  const std::string t = "t=" + std::to_string(kTimestamp);
  struct Case {
    std::string header;
    bool verifies;
    int compares;  // one per v1, matching or not, with no early exit
  };
  std::string many = t;
  for (int i = 0; i < 12; ++i) many += ",v1=" + std::string(64, 'a');
  const Case cases[] = {
      {t + "," + v1_of(kSecret), true, 1},
      {t + "," + v1_of("whsec_other"), false, 1},
      {t + "," + v1_of("whsec_other") + "," + v1_of(kSecret), true, 2},
      {t + "," + v1_of(kSecret) + "," + v1_of("whsec_other"), true, 2},
      {many + "," + v1_of(kSecret), true, -1},  // past the kept ones: at least one
  };
  for (const Case& c : cases) {
    compares = 0;
    EXPECT_EQ(verifies(c.header), c.verifies) << c.header;
    if (c.compares >= 0) {
      EXPECT_EQ(compares.load(), c.compares) << c.header;
    } else {
      EXPECT_GE(compares.load(), 1) << c.header;
    }
  }
}

}  // namespace
