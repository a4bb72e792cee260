// Which events can happen on which connected account (Stripe's Connect
// webhooks table): most events on every account, a few only where the account
// has Dashboard access or where the platform controls the account.
#include "catalog/event_types.hpp"

namespace hookline::catalog {

bool is_available_for(const Account& account, std::string_view type) {
  if (account.is_platform()) return true;
  // The account can revoke the platform's access only from its own Dashboard.
  if (type == "account.application.deauthorized") return account.has_dashboard_access();
  // Changes the platform makes on accounts it controls.
  if (type == "account.external_account.updated" || type == "person.updated") {
    return account.platform_controlled();
  }
  return true;
}

}  // namespace hookline::catalog
