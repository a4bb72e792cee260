#include "signing/signature.hpp"

#include <openssl/rand.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "signing/hmac_sha256.hpp"

namespace hookline::signing {

std::string compute_signature(std::string_view secret, int64_t timestamp,
                              std::string_view payload) {
  return to_hex(hmac_signed_payload(secret, timestamp, payload));
}

std::string signature_header(int64_t timestamp, std::string_view payload,
                             const std::vector<std::string>& secrets, bool include_fake_v0) {
  std::string header = "t=" + std::to_string(timestamp);
  header.reserve(header.size() + (secrets.size() + 1) * 68);
  for (const std::string& secret : secrets) {
    header += ",v1=";
    header += compute_signature(secret, timestamp, payload);
  }
  if (include_fake_v0) {
    // 32 random bytes: looks like a signature, verifies nothing (v0 is never
    // checked by receivers; Stripe adds one to test-mode deliveries).
    Digest noise;
    if (RAND_bytes(noise.data(), static_cast<int>(noise.size())) != 1) {
      throw std::runtime_error("OpenSSL: RAND_bytes failed");
    }
    header += ",v0=";
    header += to_hex(noise);
  }
  return header;
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
