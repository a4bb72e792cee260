#pragma once
// What publishing reads of the store for each event, kept per account: the
// account and its routing candidates (Store::get_account,
// Store::routing_candidates), as long as the store's routing_generation does
// not change (a write to accounts or endpoints committed, on PostgreSQL by any
// node). A store without one is read every time.
//
// Thread-safe.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/models.hpp"
#include "store/store.hpp"

namespace hookline {

struct AccountRouting {
  Account account;
  std::vector<WebhookEndpoint> candidates;  // Store::routing_candidates(account.id)
};

class RoutingCache {
 public:
  // Accounts kept at most; past it, the cache starts over.
  static constexpr std::size_t kMaxAccounts = 4096;

  explicit RoutingCache(Store& store) : store_(store) {}

  // nullptr if the account does not exist. Throws StoreError.
  std::shared_ptr<const AccountRouting> get(const std::string& account_id);

 private:
  Store& store_;
  std::mutex mutex_;
  uint64_t generation_ = 0;  // guarded by mutex_: what the entries were read at
  std::unordered_map<std::string, std::shared_ptr<const AccountRouting>> entries_;  // guarded by mutex_
};

}  // namespace hookline
