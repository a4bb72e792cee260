#pragma once
// What publishing reads of the store for each event, kept per account: the
// account and its routing candidates (Store::get_account,
// Store::routing_candidates), as long as the store's routing_generation does
// not change (GenerationCache).
//
// Thread-safe.
#include <memory>
#include <string>
#include <vector>

#include "core/models.hpp"
#include "store/generation_cache.hpp"
#include "store/store.hpp"

namespace hookline {

struct AccountRouting {
  Account account;
  std::vector<WebhookEndpoint> candidates;  // Store::routing_candidates(account.id)
};

class RoutingCache {
 public:
  explicit RoutingCache(Store& store) : store_(store), cache_(store) {}

  // nullptr if the account does not exist. Throws StoreError.
  std::shared_ptr<const AccountRouting> get(const std::string& account_id);

 private:
  Store& store_;
  GenerationCache<AccountRouting> cache_;
};

}  // namespace hookline
