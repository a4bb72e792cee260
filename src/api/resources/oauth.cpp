// POST /oauth/deauthorize: a Standard account disconnects from the platform.
// account.application.deauthorized is published first, while the account is
// still connected, so that it reaches the platform's Connect endpoints; then
// the account is marked deauthorized: calls made as it fail from then on and
// its further events go nowhere. Errors take OAuth's shape
// {"error","error_description"}, as Stripe's connect host answers.
#include <fmt/format.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/api_error.hpp"
#include "api/resources/caller_access.hpp"
#include "api/resources/params.hpp"
#include "api/resources/resource_routes.hpp"

namespace hookline::api {

namespace json = boost::json;

namespace {

// "an express", "a custom".
std::string with_article(std::string_view word) {
  const bool vowel = !word.empty() && std::string_view("aeiou").find(word[0]) != std::string_view::npos;
  return std::string(vowel ? "an " : "a ") + std::string(word);
}

ApiResponse oauth_error(int status, const std::string& error, const std::string& description) {
  return json_response(
      json::serialize(json::object{{"error", error}, {"error_description", description}}), status);
}

ApiResponse deauthorize(const Request& request) {
  const ApiCall& call = request.call;
  ApiContext& context = request.context;
  require_platform_caller(call, "deauthorize connected accounts");
  Params params(call.params);
  const std::optional<std::string> client_id = params.string("client_id");
  const std::optional<std::string> stripe_user_id = params.string("stripe_user_id");
  // The platform's secret key, as Stripe's OAuth calls take it; the transport
  // authenticated with it when there was no Authorization header.
  const std::optional<std::string> client_secret = params.string("client_secret");
  params.reject_unknown();

  if (client_secret && *client_secret != call.api_key) {
    return oauth_error(401, "invalid_client",
                       "The client_secret is not the secret key this request was made with.");
  }

  if (client_id && !is_application_id(*client_id, call.platform_account_id)) {
    return oauth_error(401, "invalid_client", fmt::format("No such application: '{}'", *client_id));
  }
  if (!stripe_user_id || stripe_user_id->empty()) {
    return oauth_error(400, "invalid_request", "No stripe_user_id provided.");
  }
  std::optional<Account> account = context.store.get_account(*stripe_user_id);
  if (!account || account->is_platform() || account->deauthorized ||
      !reachable_in_mode(*account, call.livemode)) {
    return oauth_error(401, "invalid_client",
                       fmt::format("This application is not connected to stripe account {}, or "
                                   "that account does not exist.",
                                   *stripe_user_id));
  }
  if (!changeable_in_mode(*account, call.livemode)) {
    return oauth_error(400, "invalid_request",
                       live_account_refusal(account->id, "deauthorize the platform from it"));
  }
  if (!account->has_dashboard_access()) {
    return oauth_error(400, "invalid_request",
                       fmt::format("{} is {} account: only Standard accounts, which have "
                                   "Dashboard access, can deauthorize a platform. Delete the "
                                   "account instead.",
                                   account->id, with_article(to_string(account->type))));
  }

  PublishRequest event;
  event.account_id = account->id;
  event.livemode = call.livemode;
  event.type = "account.application.deauthorized";
  event.data_object =
      json::object{{"id", application_id(call.platform_account_id)}, {"object", "application"}, {"name", nullptr}};
  event.request_id = call.request_id;
  event.idempotency_key = call.idempotency_key;
  const StoredEvent published = context.publisher.publish(event);

  account->deauthorized = true;
  context.store.put_account(*account);
  // hookline_event_id is an extension: once deauthorized, the account's events
  // can no longer be listed with its Stripe-Account, so this is how a caller
  // (`hookline trigger`) learns the event's id.
  return json_response(json::serialize(
      json::object{{"stripe_user_id", account->id}, {"hookline_event_id", published.id}}));
}

}  // namespace

void add_oauth_routes(RouteTable& routes) { routes.add("POST", "/oauth/deauthorize", deauthorize); }

}  // namespace hookline::api
