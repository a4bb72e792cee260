#pragma once
// The Stripe `account` object of a connected account (realistic but compact),
// built from the create parameters and changed by the update parameters; kept
// as Account::object_json.
#include <boost/json/object.hpp>
#include <string>

#include "api/resources/params.hpp"
#include "core/models.hpp"

namespace hookline::api {

// What POST /v1/accounts decides beyond the object: the kind of account.
struct AccountKind {
  AccountType type = AccountType::kStandard;
  bool platform_controls = false;
};

// Reads `type` and `controller[…]` (Stripe's rules: controller settings
// without a type give the type: stripe_dashboard none -> custom, express ->
// express, else standard; a Standard account whose requirements, fees or
// losses are the application's is platform-controlled). Fills `object` with
// "controller".
AccountKind read_account_kind(Params& params, boost::json::object& object);

// The new account's object: defaults for every field, then the parameters
// (country, email, business_type, business_profile, capabilities, company,
// individual, settings, tos_acceptance, default_currency, metadata).
boost::json::object new_account_object(const Account& account, const AccountKind& kind,
                                       const boost::json::object& controller, Params& params);

// Applies the update parameters (the same, less type, country and controller)
// to `object`.
void apply_account_update(Params& params, boost::json::object& object);

// The account's object as stored (a minimal stored object, as the platform's
// first one, gets the default fields).
boost::json::object account_object(const Account& account);

// What changed from `before` to `after`, Stripe's previous_attributes: for
// each changed key its old value (null if it was absent), nested objects
// diffed key by key.
boost::json::object previous_attributes(const boost::json::object& before,
                                        const boost::json::object& after);

}  // namespace hookline::api
