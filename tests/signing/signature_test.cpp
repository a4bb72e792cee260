#include "signing/signature.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "signing/hmac_sha256.hpp"

namespace hookline::signing {
namespace {

// Reference values from `openssl dgst -sha256 -hmac <key>` and Python's hmac module.
struct Vector {
  std::string secret;
  int64_t timestamp;
  std::string payload;
  std::string hex;
};

TEST(ComputeSignature, MatchesReferenceHmacSha256OfTimestampDotPayload) {
  const std::vector<Vector> vectors = {
      {"whsec_test_secret", 1700000000, R"({"id":"evt_test"})",
       "13941114bb88ac44a76abcfddea5b92aa6182a4b63d8be3aae908a616083bd7e"},
      {"whsec_x", 0, "", "4e8c2621ad6b7e8ee9325e803d12429025d82e5abc79b476cf0efabfaf9a6e57"},
      {"", 1, "a", "c0cf22d46213ba118970af105fc0ff79fb5d057f6de8049e4c4821cf18c68935"},
      // A key longer than SHA-256's block and a payload of many blocks.
      {"whsec_" + std::string(100, 'k'), 1700000000, std::string(70000, 'x'),
       "e9ceb6baeaaa352676ca5d208a477ba06779d5569c1f39009f7c098d6a9fb2a6"},
  };
  for (const Vector& v : vectors) {
    EXPECT_EQ(compute_signature(v.secret, v.timestamp, v.payload), v.hex) << v.secret;
    EXPECT_EQ(to_hex(hmac_sha256(v.secret, std::to_string(v.timestamp) + "." + v.payload)), v.hex);
  }
}

TEST(ComputeSignature, TheWholeSecretIsTheKey) {
  EXPECT_NE(compute_signature("whsec_abc", 1, "{}"), compute_signature("abc", 1, "{}"));
}

TEST(ComputeSignature, SameResultOnManyThreads) {
  const std::string expected = compute_signature("whsec_threads", 42, "payload");
  std::vector<std::thread> threads;
  std::vector<int> ok(8, 0);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      for (int n = 0; n < 500; ++n) {
        ok[i] += compute_signature("whsec_threads", 42, "payload") == expected;
        (void)compute_signature("whsec_other" + std::to_string(n), n, "noise");
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int n : ok) EXPECT_EQ(n, 500);
}

TEST(SignatureHeader, OneV1PerSecretInOrder) {
  const std::string payload = R"({"id":"evt_1"})";
  EXPECT_EQ(signature_header(1700000000, payload, {"whsec_a"}, false),
            "t=1700000000,v1=" + compute_signature("whsec_a", 1700000000, payload));
  EXPECT_EQ(signature_header(5, payload, {"whsec_a", "whsec_b"}, false),
            "t=5,v1=" + compute_signature("whsec_a", 5, payload) +
                ",v1=" + compute_signature("whsec_b", 5, payload));
  EXPECT_EQ(signature_header(5, payload, {}, false), "t=5");
}

TEST(SignatureHeader, FakeV0LooksLikeASignatureAndVerifiesNothing) {
  const std::string payload = R"({"id":"evt_1"})";
  const std::string header = signature_header(77, payload, {"whsec_a"}, true);
  std::smatch m;
  ASSERT_TRUE(std::regex_match(header, m, std::regex("t=77,v1=([0-9a-f]{64}),v0=([0-9a-f]{64})")))
      << header;
  EXPECT_EQ(m[1].str(), compute_signature("whsec_a", 77, payload));
  EXPECT_NE(m[2].str(), m[1].str());
  // Random: two headers differ in their v0 only.
  const std::string again = signature_header(77, payload, {"whsec_a"}, true);
  EXPECT_NE(again, header);
  EXPECT_EQ(again.substr(0, header.size() - 64), header.substr(0, header.size() - 64));
}

TEST(ConstantTimeEquals, ComparesBytes) {
  EXPECT_TRUE(constant_time_equals("", ""));
  EXPECT_TRUE(constant_time_equals("abc", "abc"));
  EXPECT_FALSE(constant_time_equals("abc", "abd"));
  EXPECT_FALSE(constant_time_equals("abc", "ab"));
  EXPECT_FALSE(constant_time_equals("", "a"));
  EXPECT_TRUE(constant_time_equals(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(constant_time_equals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(Hex, LowercaseSixtyFourCharacters) {
  Digest d{};
  d[0] = 0xab;
  d[31] = 0x0f;
  EXPECT_EQ(to_hex(d), "ab" + std::string(60, '0') + "0f");
}

}  // namespace
}  // namespace hookline::signing
