#include "api/resources/caller_access.hpp"

#include <fmt/format.h>

#include "api/api_error.hpp"
#include "core/ids.hpp"

namespace hookline::api {

void require_platform_caller(const ApiCall& call, std::string_view what) {
  if (!call.as_connected_account && call.account_id == call.platform_account_id) return;
  throw ApiError(403, "permission_error",
                 fmt::format("Only the platform can {}: this call was made as the connected "
                             "account {} (Stripe-Account header).",
                             what, call.account_id));
}

bool reachable_in_mode(const Account& account, bool livemode) {
  return livemode ? account.connected_live : account.connected_test || account.connected_live;
}

bool changeable_in_mode(const Account& account, bool livemode) {
  return livemode ? account.connected_live : account.connected_test && !account.connected_live;
}

std::string live_account_refusal(const std::string& id, std::string_view what) {
  return fmt::format("Livemode of key does not match mode of account: {} is connected in live "
                     "mode, and a test key cannot {}. Use a live key.",
                     id, what);
}

Account connected_account_to_change(Store& store, const ApiCall& call, const std::string& id,
                                    std::string_view what, const std::string& param) {
  Account account = connected_account_for(store, call, id, param);
  if (!changeable_in_mode(account, call.livemode)) {
    throw ApiError::invalid_request(live_account_refusal(id, what), param);
  }
  return account;
}

Account connected_account_for(Store& store, const ApiCall& call, const std::string& id,
                              const std::string& param) {
  std::optional<Account> account = store.get_account(id);
  if (!account || account->is_platform() || !reachable_in_mode(*account, call.livemode)) {
    throw ApiError::no_such("account", id, param);
  }
  if (account->deauthorized) {
    throw ApiError(403, "permission_error",
                   fmt::format("The provided key does not have access to account '{}' (or that "
                               "account does not exist). Application access may have been "
                               "revoked.",
                               id),
                   param, "account_invalid");
  }
  return *account;
}

WebhookEndpoint endpoint_of_caller(Store& store, const ApiCall& call, const std::string& id,
                                   const std::string& param, bool allow_listen_session) {
  std::optional<WebhookEndpoint> endpoint = store.get_endpoint(id);
  if (!endpoint || endpoint->account_id != call.account_id || endpoint->livemode != call.livemode ||
      (endpoint->listen_session && !allow_listen_session)) {
    throw ApiError::no_such("webhook endpoint", id, param);
  }
  return *endpoint;
}

StoredEvent event_of_caller(Store& store, const ApiCall& call, const std::string& id,
                      const std::string& param) {
  std::optional<StoredEvent> event = store.get_event(id);
  if (!event || event->account_id != call.account_id || event->livemode != call.livemode) {
    throw ApiError::no_such("event", id, param);
  }
  return *event;
}

std::string application_id(const std::string& platform_account_id) {
  return derived_id("ca", platform_account_id);
}

bool is_application_id(const std::string& client_id, const std::string& platform_account_id) {
  constexpr std::string_view kAccountPrefix = "acct_";
  std::string_view suffix = platform_account_id;
  if (suffix.substr(0, kAccountPrefix.size()) == kAccountPrefix) {
    suffix.remove_prefix(kAccountPrefix.size());
  }
  return client_id == application_id(platform_account_id) || client_id == "ca_" + std::string(suffix);
}

}  // namespace hookline::api
