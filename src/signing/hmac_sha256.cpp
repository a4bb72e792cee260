#include "signing/hmac_sha256.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <charconv>
#include <stdexcept>

namespace hookline::signing {
namespace {

// The "HMAC" implementation, fetched once per process (fetching costs a
// provider lookup under a lock).
EVP_MAC* hmac_algorithm() {
  static EVP_MAC* const mac = [] {
    EVP_MAC* m = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (m == nullptr) throw std::runtime_error("OpenSSL: HMAC is not available");
    return m;
  }();
  return mac;
}

// One HMAC-SHA256 context per thread, with the digest already set: signing a
// message costs a key schedule and the hashing, no allocation of a context.
class ThreadHmac {
 public:
  ThreadHmac() : ctx_(EVP_MAC_CTX_new(hmac_algorithm())) {
    if (ctx_ == nullptr) throw std::runtime_error("OpenSSL: EVP_MAC_CTX_new failed");
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    if (EVP_MAC_CTX_set_params(ctx_, params) != 1) {
      EVP_MAC_CTX_free(ctx_);
      throw std::runtime_error("OpenSSL: cannot set HMAC digest to SHA256");
    }
  }
  ~ThreadHmac() { EVP_MAC_CTX_free(ctx_); }
  ThreadHmac(const ThreadHmac&) = delete;
  ThreadHmac& operator=(const ThreadHmac&) = delete;

  void init(std::string_view key) {
    // A null key would make OpenSSL reuse the previous one: always pass a pointer.
    static const unsigned char kEmpty = 0;
    const auto* k = key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
    check(EVP_MAC_init(ctx_, k, key.size(), nullptr), "EVP_MAC_init");
  }
  void update(std::string_view bytes) {
    check(EVP_MAC_update(ctx_, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()),
          "EVP_MAC_update");
  }
  Digest final() {
    Digest out;
    size_t len = 0;
    check(EVP_MAC_final(ctx_, out.data(), &len, out.size()), "EVP_MAC_final");
    if (len != out.size()) throw std::runtime_error("OpenSSL: unexpected HMAC length");
    return out;
  }

 private:
  static void check(int rc, const char* what) {
    if (rc != 1) throw std::runtime_error(std::string("OpenSSL: ") + what + " failed");
  }
  EVP_MAC_CTX* ctx_;
};

ThreadHmac& thread_hmac() {
  thread_local ThreadHmac hmac;
  return hmac;
}

}  // namespace

Digest hmac_sha256(std::string_view secret, std::string_view message) {
  ThreadHmac& h = thread_hmac();
  h.init(secret);
  h.update(message);
  return h.final();
}

Digest hmac_signed_payload(std::string_view secret, int64_t timestamp, std::string_view payload) {
  char prefix[24];
  auto [end, ec] = std::to_chars(prefix, prefix + sizeof prefix - 1, timestamp);
  (void)ec;  // 20 characters always suffice for an int64.
  *end++ = '.';
  ThreadHmac& h = thread_hmac();
  h.init(secret);
  h.update(std::string_view(prefix, static_cast<size_t>(end - prefix)));
  h.update(payload);
  return h.final();
}

HexDigest hex_chars(const Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  HexDigest out;
  for (size_t i = 0; i < digest.size(); ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0x0f];
  }
  return out;
}

std::string to_hex(const Digest& digest) {
  const HexDigest chars = hex_chars(digest);
  return std::string(chars.data(), chars.size());
}

}  // namespace hookline::signing
