#include "store/platform_identity.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "core/ids.hpp"

namespace hookline {

namespace {

std::string resolve_key(Store& store, const std::string& given, const std::string& prefix,
                        const std::string& setting, bool& generated) {
  if (!given.empty()) {
    if (given.rfind(prefix, 0) != 0 || given.size() <= prefix.size()) {
      throw std::invalid_argument(
          fmt::format("the key must start with {} (got one starting with '{}')", prefix,
                      given.substr(0, std::min<std::size_t>(given.size(), 8))));
    }
    return given;
  }
  if (auto kept = store.get_setting(setting)) return *kept;
  // Nodes starting together on one empty database: the first key written wins.
  const std::string candidate = prefix + random_alphanumeric(48);
  std::string key = store.put_setting_if_absent(setting, candidate);
  generated = key == candidate;
  return key;
}

}  // namespace

PlatformIdentity load_platform_identity(Store& store, const Clock& clock,
                                        const std::string& test_key_from_env,
                                        const std::string& live_key_from_env) {
  PlatformIdentity identity;
  if (auto id = store.get_setting("platform_account_id")) {
    identity.account_id = *id;
  } else {
    // The account row first, so that whoever reads the id finds the account;
    // a node whose id lost the race removes its own row.
    Account platform;
    platform.id = new_id("acct");
    platform.type = AccountType::kPlatform;
    platform.connected_live = platform.connected_test = true;
    platform.created = clock.now_seconds();
    platform.object_json = fmt::format(
        R"({{"id":"{}","object":"account","type":"standard","created":{}}})", platform.id,
        platform.created);
    store.put_account(platform);
    identity.account_id = store.put_setting_if_absent("platform_account_id", platform.id);
    if (identity.account_id != platform.id) store.delete_account(platform.id);
  }
  identity.test_secret_key = resolve_key(store, test_key_from_env, "sk_test_", "test_secret_key",
                                         identity.generated_test_key);
  identity.live_secret_key = resolve_key(store, live_key_from_env, "sk_live_", "live_secret_key",
                                         identity.generated_live_key);
  return identity;
}

}  // namespace hookline
