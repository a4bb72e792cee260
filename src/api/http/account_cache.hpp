#pragma once
// The accounts that Stripe-Account headers name, as authenticate() reads them
// (Store::get_account), kept while the store's routing_generation does not
// move (GenerationCache: a deauthorized or reconnected account is read afresh
// on the next request). A missing account is not kept: it may come.
//
// Thread-safe.
#include <memory>
#include <string>

#include "core/models.hpp"
#include "store/generation_cache.hpp"
#include "store/store.hpp"

namespace hookline::api {

class AccountCache {
 public:
  explicit AccountCache(Store& store) : store_(store), cache_(store) {}

  // nullptr if the account does not exist. Throws StoreError.
  std::shared_ptr<const Account> get(const std::string& account_id);

 private:
  Store& store_;
  GenerationCache<Account> cache_;
};

}  // namespace hookline::api
