// route_event: the Connect routing rules of DESIGN.md, one small rule per
// function, composed at the bottom.
#include "routing/router.hpp"

#include <algorithm>

#include "catalog/event_types.hpp"

namespace hookline::routing {

namespace {

constexpr std::string_view kDeauthorized = "account.application.deauthorized";

bool is_connected_account(const Account& account, const std::string& platform_id) {
  return !account.is_platform() && account.id != platform_id;
}

// account.application.* events are "sent to the related application only"
// (Stripe's event reference): the platform's Connect endpoints, never the
// account's own endpoints.
bool is_for_application_only(std::string_view type) {
  return type.rfind("account.application.", 0) == 0;
}

// An account endpoint gets the events of the account that owns it, in its mode.
bool account_endpoint_gets(const WebhookEndpoint& endpoint, const Account& account, bool livemode) {
  return endpoint.account_id == account.id && endpoint.livemode == livemode;
}

// A Connect endpoint of the platform gets the events of connected accounts:
// a live one both live and test events of accounts connected in live mode, a
// test one test events of accounts connected in test mode.
bool connect_endpoint_gets(const WebhookEndpoint& endpoint, const Account& account,
                           const std::string& platform_id, bool livemode) {
  if (endpoint.account_id != platform_id) return false;
  if (endpoint.livemode) return account.connected_live;
  return !livemode && account.connected_test;
}

}  // namespace

std::vector<std::string> route_event(const Account& event_account, const std::string& platform_id,
                                     bool livemode, std::string_view type,
                                     const std::vector<WebhookEndpoint>& candidates) {
  const bool connected = is_connected_account(event_account, platform_id);
  if (connected && !catalog::is_available_for(event_account, type)) return {};
  if (connected && event_account.deauthorized && type != kDeauthorized) return {};

  std::vector<std::string> endpoint_ids;
  for (const WebhookEndpoint& endpoint : candidates) {
    if (endpoint.status != EndpointStatus::kEnabled || !subscribes(endpoint.enabled_events, type)) continue;
    bool gets = false;
    if (!endpoint.connect) {
      gets = account_endpoint_gets(endpoint, event_account, livemode) &&
             !(connected && is_for_application_only(type));
    } else if (connected) {
      gets = connect_endpoint_gets(endpoint, event_account, platform_id, livemode);
    }
    if (gets) endpoint_ids.push_back(endpoint.id);
  }
  return endpoint_ids;
}

bool subscribes(const std::vector<std::string>& enabled_events, std::string_view type) {
  return std::any_of(enabled_events.begin(), enabled_events.end(), [type](const std::string& enabled) {
    return enabled == "*" || enabled == type;
  });
}

}  // namespace hookline::routing
