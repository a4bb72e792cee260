// Fuzz-style: thousands of random and mutated headers and bodies. Whatever the
// input, construct_event returns an event or throws one of the SDK's two error
// types, and it accepts only headers that carry a genuine v1 signature.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "hookline/webhook.hpp"
#include "sdk_test_support.hpp"

namespace hookline {
namespace {

using namespace hookline::testing;

enum class Outcome { kAccepted, kSignatureError, kPayloadError };

Outcome run(const std::string& payload, const std::string& header, const std::string& secret,
            std::int64_t now = kT) {
  try {
    construct_event(payload, header, secret, kDefaultTolerance, at(now));
    return Outcome::kAccepted;
  } catch (const SignatureVerificationError&) {
    return Outcome::kSignatureError;
  } catch (const PayloadError&) {
    return Outcome::kPayloadError;
  }
  // Any other exception escapes and fails the test.
}

class Mutator {
 public:
  explicit Mutator(std::uint32_t seed) : rng_(seed) {}

  std::size_t below(std::size_t n) { return n == 0 ? 0 : rng_() % n; }

  char interesting_char() {
    static constexpr char kRaw[] = ",=tv01 \t\r\n-+.aAfFgz\xff\0";
    static const std::string kChars(kRaw, sizeof kRaw - 1);
    return kChars[below(kChars.size())];
  }

  std::string random_bytes(std::size_t max_len) {
    std::string s(below(max_len + 1), '\0');
    for (char& c : s) c = static_cast<char>(below(256));
    return s;
  }

  std::string random_tokens(std::size_t max_items) {
    static const std::vector<std::string> kKeys = {"t", "v1", "v0", "V1", "", " t", "v1 ", "x"};
    static const std::vector<std::string> kValues = {"",
                                                     "1700000000",
                                                     "-1",
                                                     "abc",
                                                     "=",
                                                     "0",
                                                     "99999999999999999999",
                                                     std::string(64, 'a'),
                                                     std::string(64, 'G'),
                                                     "1700000000.0"};
    std::string s;
    const std::size_t n = below(max_items + 1);
    for (std::size_t i = 0; i < n; ++i) {
      if (i) s += below(8) ? "," : ",,";
      s += kKeys[below(kKeys.size())];
      if (below(6)) s += "=";
      s += kValues[below(kValues.size())];
    }
    return s;
  }

  // One to four edits of `s`: flip, insert, delete, duplicate a span, truncate.
  std::string mutate(std::string s) {
    const std::size_t edits = 1 + below(4);
    for (std::size_t e = 0; e < edits; ++e) {
      const std::size_t pos = below(s.size() + 1);
      switch (below(6)) {
        case 0:
          if (!s.empty()) s[below(s.size())] ^= static_cast<char>(1 << below(8));
          break;
        case 1:
          s.insert(pos, 1, interesting_char());
          break;
        case 2:
          if (!s.empty()) s.erase(below(s.size()), 1 + below(4));
          break;
        case 3: {
          const std::size_t len = below(s.size() - pos + 1);
          s.insert(pos, s.substr(pos, len));
          break;
        }
        case 4:
          s.resize(pos);
          break;
        default:
          s.insert(pos, below(2) ? ",v1=" : ",t=");
          break;
      }
    }
    return s;
  }

 private:
  std::mt19937 rng_;
};

bool has_item(const std::string& header, const std::string& item) {
  const std::string h = "," + header + ",";
  return h.find("," + item + ",") != std::string::npos;
}

TEST(HeaderFuzz, MutatedHeadersOnlyEverGiveTheTwoErrorTypes) {
  const std::string payload = event_json();
  const std::string good = generate_test_header(payload, kSecret, kT);
  const std::string sig = good.substr(good.find("v1=") + 3);
  const std::string rolled =
      "t=1700000000,v1=" + generate_test_header(payload, "whsec_old", kT).substr(16) +
      ",v1=" + sig + ",v0=" + std::string(64, 'e');
  Mutator m(20240601);
  int accepted = 0;
  for (int i = 0; i < 5000; ++i) {
    const std::string header = m.mutate(i % 2 ? good : rolled);
    const Outcome outcome = run(payload, header, kSecret);
    if (outcome == Outcome::kAccepted) {
      ++accepted;
      // Accepted only with the genuine signature as a whole v1 item.
      EXPECT_TRUE(has_item(header, "v1=" + sig)) << header;
    }
    EXPECT_NE(outcome, Outcome::kPayloadError) << header;
  }
  EXPECT_GT(accepted, 0);  // some mutations keep the header valid (e.g. edits of v0)
}

TEST(HeaderFuzz, RandomHeadersNeverVerify) {
  const std::string payload = event_json();
  Mutator m(7);
  for (int i = 0; i < 3000; ++i) {
    const std::string header = i % 2 ? m.random_bytes(200) : m.random_tokens(8);
    EXPECT_EQ(run(payload, header, kSecret), Outcome::kSignatureError) << header;
  }
}

TEST(HeaderFuzz, MutatedBodiesWithValidSignaturesGiveOnlyPayloadErrors) {
  Mutator m(99);
  const std::string base = event_json();
  for (int i = 0; i < 3000; ++i) {
    const std::string payload = i % 10 ? m.mutate(base) : m.random_bytes(300);
    const Outcome outcome = run(payload, generate_test_header(payload, kSecret, kT), kSecret);
    if (payload.empty()) {
      EXPECT_EQ(outcome, Outcome::kSignatureError);  // "No webhook payload was provided."
    } else {
      EXPECT_NE(outcome, Outcome::kSignatureError) << payload;
    }
  }
}

TEST(HeaderFuzz, HugeInputs) {
  const std::string payload = event_json();
  const std::string sig = generate_test_header(payload, kSecret, kT).substr(16);
  std::string many_v1 = "t=1700000000";
  while (many_v1.size() < 4'000'000) many_v1 += ",v1=" + std::string(64, 'b');
  EXPECT_EQ(run(payload, many_v1, kSecret), Outcome::kSignatureError);
  EXPECT_EQ(run(payload, many_v1 + ",v1=" + sig, kSecret), Outcome::kAccepted);
  EXPECT_EQ(run(payload, std::string(8'000'000, ','), kSecret), Outcome::kSignatureError);
  EXPECT_EQ(run(payload, std::string(8'000'000, '='), kSecret), Outcome::kSignatureError);
  EXPECT_EQ(run(payload, "t=" + std::string(5'000'000, '1') + ",v1=" + sig, kSecret),
            Outcome::kSignatureError);
  EXPECT_EQ(run(payload, "t=1700000000,v1=" + std::string(5'000'000, 'a'), kSecret),
            Outcome::kSignatureError);
  EXPECT_EQ(run(payload, "t=1700000000,v1=" + sig, std::string(1'000'000, 'k')),
            Outcome::kSignatureError);
  // A big body is fine; a deeply nested one is a payload error, not a stack overflow.
  const std::string big = R"({"id":"evt_1","type":"x","data":{"object":{"blob":")" +
                          std::string(8'000'000, 'x') + "\"}}}";
  EXPECT_EQ(run(big, generate_test_header(big, kSecret, kT), kSecret), Outcome::kAccepted);
  const std::string deep = std::string(1'000'000, '[') + std::string(1'000'000, ']');
  EXPECT_EQ(run(deep, generate_test_header(deep, kSecret, kT), kSecret), Outcome::kPayloadError);
}

}  // namespace
}  // namespace hookline
