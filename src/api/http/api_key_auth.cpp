#include "api/http/api_key_auth.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "api/api_error.hpp"

namespace hookline::api {

namespace {

constexpr std::string_view kTestPrefix = "sk_test_";
constexpr std::string_view kLivePrefix = "sk_live_";

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Case-insensitive "<scheme> " at the start of `header`; returns the rest.
bool strip_scheme(std::string_view header, std::string_view scheme, std::string_view& rest) {
  if (header.size() <= scheme.size() || header[scheme.size()] != ' ') return false;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != scheme[i]) return false;
  }
  rest = trim(header.substr(scheme.size() + 1));
  return true;
}

// Standard base64 (OpenSSL); false if malformed.
bool base64_decode(std::string_view text, std::string& out) {
  if (text.empty() || text.size() % 4 != 0) return false;
  std::vector<unsigned char> bytes(text.size() / 4 * 3 + 1);
  const int length = EVP_DecodeBlock(bytes.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                     static_cast<int>(text.size()));
  if (length < 0) return false;
  std::size_t padding = 0;
  if (text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
  out.assign(reinterpret_cast<const char*>(bytes.data()), static_cast<std::size_t>(length) - padding);
  return true;
}

bool same_key(std::string_view given, const std::string& expected) {
  return !expected.empty() && given.size() == expected.size() &&
         CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

ApiError no_access(std::string_view api_key, std::string_view account) {
  return ApiError(403, "permission_error",
                  "The provided key '" + mask_api_key(api_key) +
                      "' does not have access to account '" + std::string(account) +
                      "' (or that account does not exist). Application access may have been "
                      "revoked.",
                  {}, "account_invalid");
}

}  // namespace

std::string api_key_from_authorization(std::string_view authorization) {
  authorization = trim(authorization);
  std::string_view rest;
  if (strip_scheme(authorization, "bearer", rest)) return std::string(rest);
  if (strip_scheme(authorization, "basic", rest)) {
    std::string credentials;
    if (!base64_decode(rest, credentials)) return {};
    return credentials.substr(0, credentials.find(':'));
  }
  return {};
}

std::string mask_api_key(std::string_view key) {
  // Short strings (not real keys) are hidden whole.
  const bool long_enough = key.size() >= 20;
  const std::size_t shown_prefix = long_enough ? 8 : 0;
  const std::size_t shown_suffix = long_enough ? 4 : 0;
  std::string masked(key.substr(0, shown_prefix));
  masked.append(key.size() - shown_prefix - shown_suffix, '*');
  masked.append(key.substr(key.size() - shown_suffix));
  return masked;
}

namespace {

// `read_account(id)`: the account, or nullptr if there is none.
template <typename ReadAccount>
Caller authenticate_with(const PlatformIdentity& identity, std::string_view api_key,
                         std::string_view stripe_account, ReadAccount&& read_account) {
  if (api_key.empty()) {
    throw ApiError(401, "invalid_request_error",
                   "You did not provide an API key. You need to provide your API key in the "
                   "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                   "YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for "
                   "details.");
  }
  Caller caller;
  const bool test_key = api_key.substr(0, kTestPrefix.size()) == kTestPrefix &&
                        same_key(api_key, identity.test_secret_key);
  const bool live_key = api_key.substr(0, kLivePrefix.size()) == kLivePrefix &&
                        same_key(api_key, identity.live_secret_key);
  if (!test_key && !live_key) {
    throw ApiError(401, "invalid_request_error",
                   "Invalid API Key provided: " + mask_api_key(api_key));
  }
  caller.api_key = std::string(api_key);
  caller.livemode = live_key;
  caller.platform_account_id = identity.account_id;
  caller.account_id = identity.account_id;

  stripe_account = trim(stripe_account);
  if (stripe_account.empty() || stripe_account == identity.account_id) return caller;
  const auto account = read_account(std::string(stripe_account));
  // Same rule as resources/caller_access.cpp reachable_in_mode.
  const bool reachable =
      account && !account->is_platform() && !account->deauthorized &&
      (caller.livemode ? account->connected_live
                       : account->connected_test || account->connected_live);
  if (!reachable) throw no_access(api_key, stripe_account);
  caller.account_id = account->id;
  caller.as_connected_account = true;
  return caller;
}

}  // namespace

Caller authenticate(const PlatformIdentity& identity, Store& store, std::string_view api_key,
                    std::string_view stripe_account) {
  return authenticate_with(identity, api_key, stripe_account,
                           [&store](const std::string& id) { return store.get_account(id); });
}

Caller authenticate(const PlatformIdentity& identity, AccountCache& accounts,
                    std::string_view api_key, std::string_view stripe_account) {
  return authenticate_with(identity, api_key, stripe_account,
                           [&accounts](const std::string& id) { return accounts.get(id); });
}

}  // namespace hookline::api
