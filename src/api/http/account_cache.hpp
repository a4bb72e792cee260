#pragma once
// The accounts that Stripe-Account headers name, as authenticate() reads them
// (Store::get_account), kept while the store's routing_generation does not
// move (a committed write to accounts or endpoints moves it: a deauthorized or
// reconnected account is read afresh on the next request). A store without
// one (PostgreSQL: another node may have written) is read every time.
//
// Thread-safe.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/models.hpp"
#include "store/store.hpp"

namespace hookline::api {

class AccountCache {
 public:
  // Accounts kept at most; past it, the cache starts over.
  static constexpr std::size_t kMaxAccounts = 4096;

  explicit AccountCache(Store& store) : store_(store) {}

  // nullptr if the account does not exist. Throws StoreError.
  std::shared_ptr<const Account> get(const std::string& account_id);

 private:
  Store& store_;
  std::mutex mutex_;
  uint64_t generation_ = 0;  // guarded by mutex_: what the entries were read at
  std::unordered_map<std::string, std::shared_ptr<const Account>> entries_;  // guarded by mutex_
};

}  // namespace hookline::api
