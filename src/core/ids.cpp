#include "core/ids.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <atomic>
#include <stdexcept>
#include <utility>

namespace hookline {

namespace {
// In ASCII order, so that fixed-width numbers in it sort as strings.
constexpr std::string_view kAlphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::size_t kTimeChars = 8;

// A forked child must not draw the bytes its parent drew: the child moves the
// generation, and a thread's block of an older generation is thrown away.
std::atomic<unsigned> fork_generation{0};
void after_fork_in_child() { fork_generation.fetch_add(1, std::memory_order_relaxed); }
[[maybe_unused]] const int kForkHandler = pthread_atfork(nullptr, nullptr, after_fork_in_child);

// Bytes of OpenSSL's CSPRNG drawn a block at a time, per thread: each
// RAND_bytes call costs a getpid system call (OpenSSL's own fork check) and a
// generator step, and every API request needs an id (two for a publish).
// A byte handed out is wiped from the block.
class RandomBytes {
 public:
  unsigned char next() {
    const unsigned generation = fork_generation.load(std::memory_order_relaxed);
    if (used_ == sizeof block_ || generation != generation_) {
      if (RAND_bytes(block_, sizeof block_) != 1) throw std::runtime_error("RAND_bytes failed");
      used_ = 0;
      generation_ = generation;
    }
    const unsigned char byte = block_[used_];
    block_[used_++] = 0;
    return byte;
  }

 private:
  unsigned char block_[1024];
  std::size_t used_ = sizeof block_;  // none left: the first call draws a block
  unsigned generation_ = 0;
};

thread_local RandomBytes random_bytes;

}  // namespace

std::string random_alphanumeric(std::size_t length) {
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    const unsigned char b = random_bytes.next();
    // Rejection sampling keeps the distribution uniform: 248 = 4 * 62.
    if (b >= 248) continue;
    out.push_back(kAlphabet[b % kAlphabet.size()]);
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
