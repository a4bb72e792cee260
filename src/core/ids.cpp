#include "core/ids.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <utility>

namespace hookline {

namespace {
// In ASCII order, so that fixed-width numbers in it sort as strings.
constexpr std::string_view kAlphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::size_t kTimeChars = 8;
}  // namespace

std::string random_alphanumeric(std::size_t length) {
  std::string out;
  out.reserve(length);
  unsigned char buf[64];
  while (out.size() < length) {
    if (RAND_bytes(buf, sizeof buf) != 1) throw std::runtime_error("RAND_bytes failed");
    for (unsigned char b : buf) {
      // Rejection sampling keeps the distribution uniform: 248 = 4 * 62.
      if (b >= 248) continue;
      out.push_back(kAlphabet[b % kAlphabet.size()]);
      if (out.size() == length) break;
    }
  }
  return out;
}

std::size_t id_length(std::string_view prefix) {
  static constexpr std::pair<std::string_view, std::size_t> kLengths[] = {
      {"acct", 16}, {"req", 14}, {"ca", 32}, {"whsec", 32}};
  for (const auto& [known, length] : kLengths) {
    if (known == prefix) return length;
  }
  return 24;
}

std::string new_id(std::string_view prefix) {
  std::string id(prefix);
  id += '_';
  id += random_alphanumeric(id_length(prefix));
  return id;
}

std::string derived_id(std::string_view prefix, std::string_view seed) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  if (EVP_Digest(seed.data(), seed.size(), digest, &digest_length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  const std::size_t length = id_length(prefix);
  if (length > digest_length) throw std::logic_error("derived_id: id longer than the digest");
  std::string id(prefix);
  id += '_';
  for (std::size_t i = 0; i < length; ++i) id.push_back(kAlphabet[digest[i] % kAlphabet.size()]);
  return id;
}

std::string new_sortable_id(std::string_view prefix, int64_t unix_ms) {
  std::string id(prefix);
  id += '_';
  char time[kTimeChars];
  auto value = static_cast<uint64_t>(unix_ms < 0 ? 0 : unix_ms);
  for (std::size_t i = kTimeChars; i-- > 0;) {
    time[i] = kAlphabet[value % kAlphabet.size()];
    value /= kAlphabet.size();
  }
  id.append(time, kTimeChars);
  id += random_alphanumeric(24 - kTimeChars);
  return id;
}

std::string new_webhook_secret() { return new_id("whsec"); }

}  // namespace hookline
