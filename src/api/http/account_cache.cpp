#include "api/http/account_cache.hpp"

namespace hookline::api {

std::shared_ptr<const Account> AccountCache::get(const std::string& account_id) {
  // Read before the row: a write committed meanwhile moves it on, so what is
  // read below is kept under a generation that is already stale, never the
  // other way round (as events/routing_cache.cpp).
  const std::optional<uint64_t> generation = store_.routing_generation();
  if (generation) {
    std::lock_guard lock(mutex_);
    if (*generation > generation_) {
      entries_.clear();
      generation_ = *generation;
    }
    if (*generation == generation_) {
      const auto found = entries_.find(account_id);
      if (found != entries_.end()) return found->second;
    }
  }
  std::optional<Account> account = store_.get_account(account_id);
  if (!account) return nullptr;  // not kept: a miss is rare, and the account may come
  auto kept = std::make_shared<const Account>(std::move(*account));
  if (generation) {
    std::lock_guard lock(mutex_);
    if (*generation == generation_) {
      if (entries_.size() >= kMaxAccounts) entries_.clear();
      entries_.emplace(account_id, kept);
    }
  }
  return kept;
}

}  // namespace hookline::api
