#pragma once
// The platform's own account and secret keys, made on first start and kept in
// the store; keys may instead come from the environment.
#include <string>

#include "core/clock.hpp"
#include "store/store.hpp"

namespace hookline {

struct PlatformIdentity {
  std::string account_id;  // acct_… of the platform
  std::string test_secret_key;  // sk_test_…
  std::string live_secret_key;  // sk_live_…
  bool generated_test_key = false;  // made now (print it)
  bool generated_live_key = false;
};

// Loads or creates the platform account. A key given (non-empty) must have the
// right prefix (sk_test_ / sk_live_) or std::invalid_argument is thrown; a key
// not given is loaded from the store, or generated and kept there.
PlatformIdentity load_platform_identity(Store& store, const Clock& clock,
                                        const std::string& test_key_from_env,
                                        const std::string& live_key_from_env);

}  // namespace hookline
