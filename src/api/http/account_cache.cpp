#include "api/http/account_cache.hpp"

namespace hookline::api {

std::shared_ptr<const Account> AccountCache::get(const std::string& account_id) {
  return cache_.get(account_id, [&]() -> std::shared_ptr<const Account> {
    std::optional<Account> account = store_.get_account(account_id);
    if (!account) return nullptr;
    return std::make_shared<const Account>(std::move(*account));
  });
}

}  // namespace hookline::api
