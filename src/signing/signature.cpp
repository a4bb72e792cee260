#include "signing/signature.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <random>
#include <stdexcept>

#include "signing/hmac_sha256.hpp"

namespace hookline::signing {

namespace {

// A generator per thread, seeded once from OpenSSL.
void fake_v0_noise(Digest& noise) {
  thread_local std::mt19937_64 generator = [] {
    std::array<unsigned char, sizeof(std::uint64_t) * 4> seed_bytes{};
    if (RAND_bytes(seed_bytes.data(), static_cast<int>(seed_bytes.size())) != 1) {
      throw std::runtime_error("OpenSSL: RAND_bytes failed");
    }
    std::array<std::uint32_t, seed_bytes.size() / 4> words{};
    std::memcpy(words.data(), seed_bytes.data(), seed_bytes.size());
    std::seed_seq seed(words.begin(), words.end());
    return std::mt19937_64(seed);
  }();
  for (std::size_t i = 0; i < noise.size(); i += sizeof(std::uint64_t)) {
    const std::uint64_t word = generator();
    std::memcpy(noise.data() + i, &word, std::min(sizeof word, noise.size() - i));
  }
}

}  // namespace

std::string compute_signature(std::string_view secret, int64_t timestamp,
                              std::string_view payload) {
  return to_hex(hmac_signed_payload(secret, timestamp, payload));
}

std::string signature_header(int64_t timestamp, std::string_view payload,
                             const std::vector<std::string>& secrets, bool include_fake_v0) {
  std::vector<std::string_view> views(secrets.begin(), secrets.end());
  std::string header;
  render_signature_header(header, timestamp, payload, views, include_fake_v0);
  return header;
}

void render_signature_header(std::string& out, int64_t timestamp, std::string_view payload,
                             std::span<const std::string_view> secrets, bool include_fake_v0) {
  char number[24];
  const auto [end, ec] = std::to_chars(number, number + sizeof number, timestamp);
  (void)ec;  // 20 characters always suffice for an int64.
  out.assign("t=").append(number, end);
  for (const std::string_view secret : secrets) {
    const HexDigest hex = hex_chars(hmac_signed_payload(secret, timestamp, payload));
    out.append(",v1=").append(hex.data(), hex.size());
  }
  if (include_fake_v0) {
    // 32 random bytes: looks like a signature, verifies nothing (v0 is never
    // checked by receivers; Stripe adds one to test-mode deliveries). Not
    // RAND_bytes per header: its fork check costs a getpid system call each time.
    Digest noise;
    fake_v0_noise(noise);
    const HexDigest hex = hex_chars(noise);
    out.append(",v0=").append(hex.data(), hex.size());
  }
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  // OR of the XORs, 8 bytes at a time, with no data-dependent branch. The empty
  // asm makes the accumulator opaque, so the compiler cannot turn the loop into
  // an early exit. (CRYPTO_memcmp goes byte by byte: 5 times slower on 64 bytes.)
  const char* p = a.data();
  const char* q = b.data();
  const std::size_t n = a.size();
  std::uint64_t diff = 0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, p + i, 8);
    std::memcpy(&y, q + i, 8);
    diff |= x ^ y;
    __asm__ volatile("" : "+r"(diff));
  }
  for (; i < n; ++i) {
    diff |= static_cast<unsigned char>(p[i] ^ q[i]);
    __asm__ volatile("" : "+r"(diff));
  }
  return diff == 0;
}

}  // namespace hookline::signing
