#include "api/resources/account_object.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <initializer_list>
#include <regex>

#include "api/api_error.hpp"
#include "api/resources/account_typing.hpp"
#include "api/resources/metadata_param.hpp"
#include "catalog/countries.hpp"
#include "core/ids.hpp"

namespace hookline::api {

namespace json = boost::json;

namespace {

// The controller parameters as given (empty: not given).
struct ControllerParams {
  std::string fees_payer;
  std::string losses_payments;
  std::string requirement_collection;
  std::string dashboard;
};

std::string one_of(Params& params, std::string_view name,
                   std::initializer_list<std::string_view> allowed) {
  std::optional<std::string> value = params.string(name);
  if (!value) return {};
  if (std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
    throw ApiError::invalid_request(fmt::format("Invalid {}: must be one of {}",
                                                params.full_name(name), fmt::join(allowed, ", ")),
                                    params.full_name(name));
  }
  return *value;
}

// controller[fees][payer]-style: one enumerated value inside a nested object.
std::string nested_one_of(Params& params, std::string_view object_name, std::string_view name,
                          std::initializer_list<std::string_view> allowed) {
  const json::object* object = params.object(object_name);
  if (object == nullptr) return {};
  Params nested(*object, params.full_name(object_name));
  std::string value = one_of(nested, name, allowed);
  nested.reject_unknown();
  return value;
}

json::object render_controller(const AccountKind& kind, const ControllerParams& given) {
  auto or_default = [](const std::string& value, const char* fallback) {
    return value.empty() ? std::string(fallback) : value;
  };
  json::object controller;
  switch (kind.type) {
    case AccountType::kCustom:
      controller["fees"] = {{"payer", "application_custom"}};
      controller["is_controller"] = true;
      controller["losses"] = {{"payments", "application"}};
      controller["requirement_collection"] = "application";
      controller["stripe_dashboard"] = {{"type", "none"}};
      controller["type"] = "application";
      break;
    case AccountType::kExpress:
      controller["fees"] = {{"payer", "application_express"}};
      controller["is_controller"] = true;
      controller["losses"] = {{"payments", "application"}};
      controller["requirement_collection"] = "stripe";
      controller["stripe_dashboard"] = {{"type", "express"}};
      controller["type"] = "application";
      break;
    default:
      if (!kind.platform_controls) {
        controller["type"] = "account";
        break;
      }
      controller["fees"] = {{"payer", or_default(given.fees_payer, "account")}};
      controller["is_controller"] = true;
      controller["losses"] = {{"payments", or_default(given.losses_payments, "stripe")}};
      controller["requirement_collection"] = or_default(given.requirement_collection, "stripe");
      controller["stripe_dashboard"] = {{"type", or_default(given.dashboard, "full")}};
      controller["type"] = "application";
  }
  return controller;
}

std::string default_currency_of(const std::string& country) {
  static const std::vector<std::pair<std::string_view, std::string_view>> kCurrencies = {
      {"AU", "aud"}, {"BR", "brl"}, {"CA", "cad"}, {"CH", "chf"}, {"DK", "dkk"}, {"GB", "gbp"},
      {"HK", "hkd"}, {"IN", "inr"}, {"JP", "jpy"}, {"MX", "mxn"}, {"NO", "nok"}, {"NZ", "nzd"},
      {"PL", "pln"}, {"SE", "sek"}, {"SG", "sgd"}, {"US", "usd"}};
  static const std::vector<std::string_view> kEuro = {"AT", "BE", "CY", "DE", "EE", "ES", "FI",
                                                      "FR", "GR", "HR", "IE", "IT", "LT", "LU",
                                                      "LV", "MT", "NL", "PT", "SI", "SK"};
  for (const auto& [code, currency] : kCurrencies) {
    if (code == country) return std::string(currency);
  }
  if (std::find(kEuro.begin(), kEuro.end(), country) != kEuro.end()) return "eur";
  return "usd";
}

json::object default_object(const Account& account, const AccountKind& kind,
                            json::object controller) {
  json::object object;
  object["id"] = account.id;
  object["object"] = "account";
  object["business_profile"] = {{"annual_revenue", nullptr},
                                {"estimated_worker_count", nullptr},
                                {"mcc", nullptr},
                                {"name", nullptr},
                                {"product_description", nullptr},
                                {"support_address", nullptr},
                                {"support_email", nullptr},
                                {"support_phone", nullptr},
                                {"support_url", nullptr},
                                {"url", nullptr}};
  object["business_type"] = nullptr;
  object["capabilities"] = json::object();
  object["charges_enabled"] = false;
  object["controller"] = std::move(controller);
  object["country"] = "US";
  object["created"] = account.created;
  object["default_currency"] = "usd";
  object["details_submitted"] = false;
  object["email"] = nullptr;
  object["external_accounts"] = {{"object", "list"},
                                 {"data", json::array()},
                                 {"has_more", false},
                                 {"total_count", 0},
                                 {"url", "/v1/accounts/" + account.id + "/external_accounts"}};
  object["metadata"] = json::object();
  object["payouts_enabled"] = false;
  object["requirements"] = {
      {"alternatives", json::array()},  {"current_deadline", nullptr},
      {"currently_due", json::array()}, {"disabled_reason", nullptr},
      {"errors", json::array()},        {"eventually_due", json::array()},
      {"past_due", json::array()},      {"pending_verification", json::array()}};
  object["settings"] = {{"branding",
                         {{"icon", nullptr},
                          {"logo", nullptr},
                          {"primary_color", nullptr},
                          {"secondary_color", nullptr}}},
                        {"dashboard", {{"display_name", nullptr}, {"timezone", "Etc/UTC"}}},
                        {"payments", {{"statement_descriptor", nullptr}}},
                        {"payouts",
                         {{"debit_negative_balances", true},
                          {"schedule", {{"delay_days", 2}, {"interval", "daily"}}},
                          {"statement_descriptor", nullptr}}}};
  object["tos_acceptance"] = {{"date", nullptr}, {"ip", nullptr}, {"user_agent", nullptr}};
  object["type"] = kind.type == AccountType::kPlatform ? "standard" : to_string(kind.type);
  return object;
}

json::object& object_field(json::object& object, std::string_view key) {
  json::value& slot = object[key];
  if (!slot.is_object()) slot = json::object();
  return slot.as_object();
}

void apply_business_profile(Params& params, json::object& object) {
  const json::object* given = params.object("business_profile");
  if (given == nullptr) return;
  Params profile(*given, "business_profile");
  json::object known;
  for (const char* key :
       {"annual_revenue", "estimated_worker_count", "mcc", "name", "product_description",
        "support_address", "support_email", "support_phone", "support_url", "url"}) {
    if (const json::value* value = profile.raw(key)) known[key] = *value;
  }
  profile.reject_unknown();
  merge_typed(object_field(object, "business_profile"), known, "business_profile",
              "business_profile");
}

void apply_capabilities(Params& params, json::object& object) {
  const json::object* given = params.object("capabilities");
  if (given == nullptr) return;
  Params capabilities(*given, "capabilities");
  json::object& current = object_field(object, "capabilities");
  for (const auto& [name, value] : *given) {
    const json::object* capability = capabilities.object(name);
    if (capability == nullptr) continue;
    Params requested(*capability, capabilities.full_name(name));
    std::optional<bool> wants = requested.boolean("requested");
    requested.reject_unknown();
    if (!wants) continue;
    if (!*wants) {
      current.erase(name);
    } else if (!current.contains(name)) {
      current[name] = "inactive";  // requested; active once its requirements are met
    }
  }
}

void apply_email(Params& params, json::object& object) {
  static const std::regex kEmail(R"([^@\s]+@[^@\s]+\.[^@\s]+)");
  std::optional<std::string> email = params.string("email");
  if (!email) return;
  if (email->empty()) {
    object["email"] = nullptr;
    return;
  }
  if (!std::regex_match(*email, kEmail)) {
    throw ApiError::invalid_request("Invalid email address: " + *email, "email", "email_invalid");
  }
  object["email"] = *email;
}

void apply_default_currency(Params& params, json::object& object) {
  static const std::regex kCurrency("[A-Za-z]{3}");
  std::optional<std::string> currency = params.string("default_currency");
  if (!currency) return;
  if (!std::regex_match(*currency, kCurrency)) {
    throw ApiError::invalid_request("Invalid currency: " + *currency, "default_currency");
  }
  std::transform(currency->begin(), currency->end(), currency->begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  object["default_currency"] = *currency;
}

// Keys added by parameters (company, individual) go where Stripe has them.
void order_keys(json::object& object) {
  static constexpr std::string_view kOrder[] = {"id",
                                                "object",
                                                "business_profile",
                                                "business_type",
                                                "capabilities",
                                                "charges_enabled",
                                                "company",
                                                "controller",
                                                "country",
                                                "created",
                                                "default_currency",
                                                "details_submitted",
                                                "email",
                                                "external_accounts",
                                                "future_requirements",
                                                "groups",
                                                "individual",
                                                "metadata",
                                                "payouts_enabled",
                                                "requirements",
                                                "settings",
                                                "tos_acceptance",
                                                "type"};
  json::object ordered;
  for (std::string_view key : kOrder) {
    if (json::value* value = object.if_contains(key)) ordered[key] = std::move(*value);
  }
  for (auto& [key, value] : object) {
    if (!ordered.contains(key)) ordered[key] = std::move(value);
  }
  object = std::move(ordered);
}

// Documented parameters that hookline does not model (tokens, files, bank
// accounts): refused by name rather than as unknown.
void refuse_unsupported(const Params& params) {
  for (const char* name : {"account_token", "documents", "external_account"}) {
    if (params.has(name)) {
      throw ApiError::invalid_request(
          fmt::format("`{}` is not supported by hookline: it keeps no tokens, files or external "
                      "accounts.",
                      name),
          name);
    }
  }
}

// groups[payments_pricing]: kept on the object as Stripe shows it.
void apply_groups(Params& params, json::object& object) {
  const json::object* given = params.object("groups");
  if (given == nullptr) return;
  Params groups(*given, "groups");
  json::object known;
  if (const json::value* pricing = groups.raw("payments_pricing")) known["payments_pricing"] = *pricing;
  groups.reject_unknown();
  json::value& slot = object["groups"];
  if (!slot.is_object()) slot = json::object{{"payments_pricing", nullptr}};
  merge_typed(slot.as_object(), known, "groups", "groups");
}

// The parameters that create and update share.
void apply_common(Params& params, json::object& object) {
  refuse_unsupported(params);
  params.ignore("expand");
  apply_groups(params, object);
  apply_business_profile(params, object);
  if (const json::value* business_type = params.raw("business_type")) {
    const bool unset = business_type->is_string() && business_type->as_string().empty();
    const std::string type =
        unset ? std::string()
              : one_of(params, "business_type",
                       {"company", "government_entity", "individual", "non_profit"});
    object["business_type"] = unset ? json::value(nullptr) : json::value(type);
  }
  apply_capabilities(params, object);
  for (const char* free_form : {"company", "individual", "settings", "tos_acceptance"}) {
    if (const json::object* given = params.object(free_form)) {
      merge_typed(object_field(object, free_form), *given, free_form, free_form);
    }
  }
  // The individual is a Person of the account, as Stripe shows it.
  if (json::value* individual = object.if_contains("individual");
      individual != nullptr && individual->is_object() &&
      !individual->as_object().contains("id")) {
    individual->as_object()["id"] = new_id("person");
    individual->as_object()["object"] = "person";
    individual->as_object()["account"] = object["id"];
    individual->as_object()["created"] = object["created"];
  }
  apply_default_currency(params, object);
  apply_email(params, object);
  json::object& metadata = object_field(object, "metadata");
  apply_metadata_param(params, metadata);
  complete_account_object(object);
  order_keys(object);
}

}  // namespace

AccountKind read_account_kind(Params& params, json::object& object) {
  AccountKind kind;
  const std::string type = one_of(params, "type", {"custom", "express", "standard"});
  ControllerParams given;
  if (!type.empty() && params.has("controller")) {
    throw ApiError::invalid_request(
        "You cannot specify both `type` and `controller`: `type` is deprecated, describe the "
        "account with `controller` alone.",
        "type");
  }
  if (const json::object* controller = params.object("controller")) {
    Params nested(*controller, "controller");
    given.fees_payer = nested_one_of(nested, "fees", "payer", {"account", "application"});
    given.losses_payments = nested_one_of(nested, "losses", "payments", {"application", "stripe"});
    given.requirement_collection =
        one_of(nested, "requirement_collection", {"application", "stripe"});
    given.dashboard =
        nested_one_of(nested, "stripe_dashboard", "type", {"express", "full", "none"});
    nested.reject_unknown();
  }
  if (!type.empty()) {
    kind.type = *parse_account_type(type);
  } else if (given.dashboard == "none") {
    kind.type = AccountType::kCustom;
  } else if (given.dashboard == "express") {
    kind.type = AccountType::kExpress;
  }
  kind.platform_controls =
      kind.type == AccountType::kStandard &&
      (given.requirement_collection == "application" || given.fees_payer == "application" ||
       given.losses_payments == "application" || given.dashboard == "none" ||
       given.dashboard == "express");
  object["controller"] = render_controller(kind, given);
  return kind;
}

json::object new_account_object(const Account& account, const AccountKind& kind,
                                const json::object& controller, Params& params) {
  json::object object = default_object(account, kind, controller);
  if (std::optional<std::string> country = params.string("country")) {
    std::transform(country->begin(), country->end(), country->begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (!catalog::is_iso_country(*country)) {
      throw ApiError::invalid_request(
          fmt::format("Country '{}' is unknown. Try using a 2-character alphanumeric country "
                      "code instead, such as 'US', 'EG', or 'GB'. A full list of country codes "
                      "is available at https://www.iso.org/iso-3166-country-codes.html",
                      *country),
          "country");
    }
    object["country"] = *country;
    object["default_currency"] = default_currency_of(*country);
  }
  apply_common(params, object);
  return object;
}

void apply_account_update(Params& params, json::object& object) { apply_common(params, object); }

json::object account_object(const Account& account) {
  boost::system::error_code ec;
  json::value stored = json::parse(account.object_json, ec);
  json::object object;
  if (!ec && stored.is_object() && stored.as_object().contains("charges_enabled")) {
    object = std::move(stored.as_object());
  } else {
    const AccountKind kind{account.type, account.platform_controls};
    object = default_object(account, kind, render_controller(kind, {}));
  }
  // Objects stored by older versions get the fields and types of today's.
  complete_account_object(object);
  order_keys(object);
  return object;
}

json::object previous_attributes(const json::object& before, const json::object& after) {
  json::object previous;
  for (const auto& [key, value] : after) {
    const json::value* old = before.if_contains(key);
    if (old == nullptr) {
      previous[key] = nullptr;
    } else if (*old != value) {
      previous[key] = old->is_object() && value.is_object()
                          ? json::value(previous_attributes(old->as_object(), value.as_object()))
                          : *old;
    }
  }
  for (const auto& [key, value] : before) {
    if (!after.contains(key)) previous[key] = value;
  }
  return previous;
}

}  // namespace hookline::api
