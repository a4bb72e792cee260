#pragma once
// Values read from the store per account, kept as long as the store's
// routing_generation does not move (a committed write to accounts or
// endpoints moves it; on PostgreSQL, by any node). A store without one is
// read every time. Used by the routing cache of publishing and the API's
// cache of Stripe-Account lookups.
//
// Thread-safe.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "store/store.hpp"

namespace hookline {

template <typename Value>
class GenerationCache {
 public:
  // Accounts kept at most; past it, the cache starts over.
  static constexpr std::size_t kMaxEntries = 4096;

  explicit GenerationCache(Store& store) : store_(store) {}

  // The value kept for `key`, or what `read()` returns (a shared_ptr to
  // const Value; nullptr: none, not kept). Throws what `read` throws.
  template <typename Read>
  std::shared_ptr<const Value> get(const std::string& key, Read read) {
    // The generation before the rows: a write committed meanwhile moves it
    // on, so what is read below is kept under a generation that is already
    // stale, never the other way round.
    const std::optional<uint64_t> generation = store_.routing_generation();
    if (generation) {
      std::lock_guard lock(mutex_);
      if (*generation > generation_) {
        entries_.clear();
        generation_ = *generation;
      }
      if (*generation == generation_) {
        const auto found = entries_.find(key);
        if (found != entries_.end()) return found->second;
      }
    }
    std::shared_ptr<const Value> value = read();
    if (value && generation) {
      std::lock_guard lock(mutex_);
      if (*generation == generation_) {
        if (entries_.size() >= kMaxEntries) entries_.clear();
        entries_.emplace(key, value);
      }
    }
    return value;
  }

 private:
  Store& store_;
  std::mutex mutex_;
  uint64_t generation_ = 0;  // guarded by mutex_: what the entries were read at
  std::unordered_map<std::string, std::shared_ptr<const Value>> entries_;  // guarded by mutex_
};

}  // namespace hookline
