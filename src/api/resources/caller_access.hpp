#pragma once
// Who may see what: the resources a call reaches are those of the account it
// acts as (call.account_id) in the key's mode; accounts, OAuth and Connect
// endpoints are the platform's business.
#include <string>
#include <string_view>

#include "api/api_call.hpp"
#include "core/models.hpp"
#include "store/store.hpp"

namespace hookline::api {

// Throws 403 permission_error unless the call is made by the platform for
// itself (its key, no Stripe-Account). `what` completes "… can <what>".
void require_platform_caller(const ApiCall& call, std::string_view what);

// Whether a key of mode `livemode` reaches connected account `account`: a live
// key the accounts connected in live mode; a test key those connected in test
// mode and, as on Stripe, those connected in live mode (test events can
// happen on them).
bool reachable_in_mode(const Account& account, bool livemode);

// The connected account `id` as the platform's key sees it: 404 "No such
// account" if it does not exist, is the platform, or is not connected in the
// key's mode; 403 if it has deauthorized the platform.
Account connected_account_for(Store& store, const ApiCall& call, const std::string& id,
                              const std::string& param = "account");

// Whether a key of mode `livemode` may change connected account `account`: a
// key acts in its own mode only, so a test key may not change an account
// connected in live mode (its object, endpoints and access are live state),
// even one connected in both modes. Reads stay as reachable_in_mode says.
bool changeable_in_mode(const Account& account, bool livemode);

// The message of a refused change (a test key on live state).
std::string live_account_refusal(const std::string& id, std::string_view what);

// connected_account_for, for a call that changes the account: also refuses
// (400) a test key on an account connected in live mode. `what` completes
// "a test key cannot <what>".
Account connected_account_to_change(Store& store, const ApiCall& call, const std::string& id,
                                    std::string_view what, const std::string& param = "account");

// The endpoint `id` if the caller owns it in this mode (listen sessions
// excluded unless `allow_listen_session`), else 404 "No such webhook endpoint".
WebhookEndpoint endpoint_of_caller(Store& store, const ApiCall& call, const std::string& id,
                                   const std::string& param = "id",
                                   bool allow_listen_session = false);

// The event `id` if it happened on the caller's account in this mode, else
// 404 "No such event".
StoredEvent event_of_caller(Store& store, const ApiCall& call, const std::string& id,
                      const std::string& param = "id");

// The Connect application id of the platform ("ca_…"), as Stripe names the
// platform in a Connect endpoint's `application` and in OAuth: "ca_" and 32
// characters derived from the platform's account id.
std::string application_id(const std::string& platform_account_id);
// Whether `client_id` names the platform's application: application_id(), or
// the id earlier versions gave it ("ca_" and the account id's characters).
bool is_application_id(const std::string& client_id, const std::string& platform_account_id);

}  // namespace hookline::api
