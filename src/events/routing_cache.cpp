#include "events/routing_cache.hpp"

namespace hookline {

std::shared_ptr<const AccountRouting> RoutingCache::get(const std::string& account_id) {
  return cache_.get(account_id, [&]() -> std::shared_ptr<const AccountRouting> {
    std::optional<Account> account = store_.get_account(account_id);
    if (!account) return nullptr;
    auto routing = std::make_shared<AccountRouting>();
    routing->candidates = store_.routing_candidates(account->id);
    routing->account = std::move(*account);
    return routing;
  });
}

}  // namespace hookline
