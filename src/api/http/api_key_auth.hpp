#pragma once
// Who is calling: the secret key of an API request and the account it acts
// as (Stripe-Account), checked the way Stripe checks them. Pure apart from
// reading accounts from the store; no HTTP library.
#include <string>
#include <string_view>

#include "api/http/account_cache.hpp"
#include "store/platform_identity.hpp"
#include "store/store.hpp"

namespace hookline::api {

struct Caller {
  std::string api_key;
  bool livemode = false;  // the key's mode
  std::string account_id;  // the account acted as
  bool as_connected_account = false;
  std::string platform_account_id;
};

// The key of an Authorization header: "Bearer <key>", or "Basic <base64>" with
// the key as the user name (the password is ignored). Empty if the header is
// empty, of another scheme, or undecodable: "no key given".
std::string api_key_from_authorization(std::string_view authorization);

// A key as Stripe shows it in errors: its first 8 characters ("sk_test_"), '*'
// for the rest but its last 4. Strings shorter than 20 characters are all '*'.
std::string mask_api_key(std::string_view key);

// Resolves the caller of `api_key` acting as `stripe_account` (empty: the
// platform itself; the platform's own id means the same). Throws ApiError:
// 401 when the key is missing or is not one of the platform's secret keys;
// 403 permission_error when the account does not exist, is not connected to
// the platform in a mode the key reaches, or has deauthorized it. A test key
// reaches accounts connected in test mode and, as on Stripe, those connected
// in live mode (test events happen on them too); a live key only the latter.
// Throws StoreError if the store fails.
Caller authenticate(const PlatformIdentity& identity, Store& store, std::string_view api_key,
                    std::string_view stripe_account);
// The same, the account read through `accounts` (the request pipeline's).
Caller authenticate(const PlatformIdentity& identity, AccountCache& accounts,
                    std::string_view api_key, std::string_view stripe_account);

}  // namespace hookline::api
