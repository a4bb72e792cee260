// GET /v1/{resource}/{id} for the objects events carry: the latest data.object
// published with that id, retrievable only as the account it belongs to, in
// its mode; anything else is Stripe's 404 "No such payment_intent: 'pi_…'".
// Persons and external accounts live under their account:
// /v1/accounts/{account}/persons/{id}, …/external_accounts/{id}.
#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>

#include "api/api_error.hpp"
#include "api/resources/caller_access.hpp"
#include "api/resources/params.hpp"
#include "api/resources/resource_routes.hpp"

namespace hookline::api {

namespace {

struct CarriedResource {
  const char* path;         // under /v1
  const char* object_type;  // the `object` field of what it holds
};

constexpr CarriedResource kResources[] = {
    {"application_fees", "application_fee"},
    {"balance_transactions", "balance_transaction"},
    {"billing_portal/configurations", "billing_portal.configuration"},
    {"charges", "charge"},
    {"checkout/sessions", "checkout.session"},
    {"coupons", "coupon"},
    {"credit_notes", "credit_note"},
    {"customers", "customer"},
    {"disputes", "dispute"},
    {"files", "file"},
    {"identity/verification_sessions", "identity.verification_session"},
    {"invoiceitems", "invoiceitem"},
    {"invoices", "invoice"},
    {"issuing/authorizations", "issuing.authorization"},
    {"issuing/cardholders", "issuing.cardholder"},
    {"issuing/cards", "issuing.card"},
    {"issuing/disputes", "issuing.dispute"},
    {"issuing/transactions", "issuing.transaction"},
    {"mandates", "mandate"},
    {"payment_intents", "payment_intent"},
    {"payment_links", "payment_link"},
    {"payment_methods", "payment_method"},
    {"payouts", "payout"},
    {"plans", "plan"},
    {"prices", "price"},
    {"products", "product"},
    {"promotion_codes", "promotion_code"},
    {"quotes", "quote"},
    {"radar/early_fraud_warnings", "radar.early_fraud_warning"},
    {"refunds", "refund"},
    {"reporting/report_runs", "reporting.report_run"},
    {"reviews", "review"},
    {"setup_intents", "setup_intent"},
    {"sources", "source"},
    {"subscription_schedules", "subscription_schedule"},
    {"subscriptions", "subscription"},
    {"tax_rates", "tax_rate"},
    {"terminal/locations", "terminal.location"},
    {"terminal/readers", "terminal.reader"},
    {"test_helpers/test_clocks", "test_helpers.test_clock"},
    {"topups", "topup"},
    {"transfers", "transfer"},
    {"treasury/financial_accounts", "treasury.financial_account"},
    {"treasury/inbound_transfers", "treasury.inbound_transfer"},
    {"treasury/outbound_payments", "treasury.outbound_payment"},
    {"treasury/outbound_transfers", "treasury.outbound_transfer"},
    {"treasury/received_credits", "treasury.received_credit"},
    {"treasury/received_debits", "treasury.received_debit"},
};

// The stored object `id` if it is one of `types`, belongs to `account_id` and
// has the call's mode; else 404 named after types.front().
ApiResponse stored_object(const Request& request, const std::string& account_id,
                          const std::string& id, std::initializer_list<std::string_view> types) {
  Params params(request.call.params);
  params.ignore("expand");
  params.reject_unknown();
  std::optional<StoredObject> object = request.context.store.get_object(id);
  const bool visible = object && object->account_id == account_id &&
                       object->livemode == request.call.livemode &&
                       std::find(types.begin(), types.end(), object->object_type) != types.end();
  if (!visible) throw ApiError::no_such(std::string(*types.begin()), id);
  return json_response(object->json);
}

// The account named in /v1/accounts/{account}/…: the caller itself, or one of
// the platform's connected accounts.
void check_account_in_path(const Request& request, const std::string& account_id) {
  if (account_id == request.call.account_id) return;
  require_platform_caller(request.call, "reach other accounts' objects");
  connected_account_for(request.context.store, request.call, account_id, "account");
}

}  // namespace

void add_carried_object_routes(RouteTable& routes) {
  for (const CarriedResource& resource : kResources) {
    const std::string type = resource.object_type;
    routes.add("GET", fmt::format("/v1/{}/{{id}}", resource.path), [type](const Request& request) {
      return stored_object(request, request.call.account_id, request.path_args[0], {type});
    });
  }
  routes.add("GET", "/v1/accounts/{account}/persons/{id}", [](const Request& request) {
    check_account_in_path(request, request.path_args[0]);
    return stored_object(request, request.path_args[0], request.path_args[1], {"person"});
  });
  routes.add("GET", "/v1/accounts/{account}/external_accounts/{id}", [](const Request& request) {
    check_account_in_path(request, request.path_args[0]);
    return stored_object(request, request.path_args[0], request.path_args[1],
                         {"external_account", "bank_account", "card"});
  });
}

}  // namespace hookline::api
