// /v1/accounts (connected accounts, the platform's business) and /v1/account
// (the caller's own account).
#include <fmt/format.h>

#include <boost/json/serialize.hpp>

#include "api/api_error.hpp"
#include "api/resources/account_object.hpp"
#include "api/resources/caller_access.hpp"
#include "api/resources/created_range.hpp"
#include "api/resources/object_json.hpp"
#include "api/resources/pagination.hpp"
#include "api/resources/resource_routes.hpp"
#include "core/ids.hpp"

namespace hookline::api {

namespace json = boost::json;

namespace {

// POST /v1/accounts: connected in the key's mode. Stripe sends no event for a
// new account, and neither does hookline.
ApiResponse create_account(const Request& request) {
  const ApiCall& call = request.call;
  require_platform_caller(call, "create connected accounts");
  Params params(call.params);
  json::object kind_fields;
  const AccountKind kind = read_account_kind(params, kind_fields);
  Account account;
  account.id = new_id("acct");
  account.type = kind.type;
  account.platform_controls = kind.platform_controls;
  (call.livemode ? account.connected_live : account.connected_test) = true;
  account.created = request.context.clock.now_seconds();
  const json::object object =
      new_account_object(account, kind, kind_fields["controller"].as_object(), params);
  params.reject_unknown();
  account.object_json = json::serialize(object);
  request.context.store.put_account(account);
  return json_response(account.object_json);
}

// GET /v1/accounts/{id}: the platform sees its connected accounts and itself;
// a call made as a connected account sees only that account.
ApiResponse retrieve_account(const Request& request) {
  const ApiCall& call = request.call;
  Params params(call.params);
  params.ignore("expand");
  params.reject_unknown();
  const std::string& id = request.path_args[0];
  if (id == call.account_id) {
    std::optional<Account> self = request.context.store.get_account(id);
    if (!self) throw ApiError::no_such("account", id);
    return json_response(json::serialize(account_object(*self)));
  }
  require_platform_caller(call, "retrieve other accounts");
  const Account account = connected_account_for(request.context.store, call, id, "id");
  return json_response(json::serialize(account_object(account)));
}

// GET /v1/account
ApiResponse retrieve_own_account(const Request& request) {
  Request self = request;
  self.path_args = {request.call.account_id};
  return retrieve_account(self);
}

// POST /v1/accounts/{id}: changes the account and sends account.updated with
// the old values of what changed in data.previous_attributes.
ApiResponse update_account(const Request& request) {
  const ApiCall& call = request.call;
  ApiContext& context = request.context;
  require_platform_caller(call, "update connected accounts");
  const std::string& id = request.path_args[0];
  if (id == call.platform_account_id) {
    throw ApiError::invalid_request(
        "The platform's own account cannot be updated through the API; update a connected "
        "account instead.",
        "account");
  }
  Account account = connected_account_to_change(context.store, call, id, "update it", "id");
  const json::object before = account_object(account);
  json::object after = before;
  Params params(call.params);
  apply_account_update(params, after);
  params.reject_unknown();
  json::object changed = previous_attributes(before, after);
  if (changed.empty()) return json_response(json::serialize(after));

  const Account unchanged = account;
  account.object_json = json::serialize(after);
  context.store.put_account(account);
  PublishRequest event;
  event.account_id = account.id;
  event.livemode = call.livemode;
  event.type = "account.updated";
  event.data_object = after;
  event.previous_attributes = json::value(std::move(changed));
  event.request_id = call.request_id;
  event.idempotency_key = call.idempotency_key;
  try {
    context.publisher.publish(event);
  } catch (const PublishError&) {
    // Refused input (an event too large to send) changes nothing.
    context.store.put_account(unchanged);
    throw;
  }
  return json_response(account.object_json);
}

// DELETE /v1/accounts/{id}: the account and its webhook endpoints.
ApiResponse delete_account(const Request& request) {
  const ApiCall& call = request.call;
  Store& store = request.context.store;
  require_platform_caller(call, "delete connected accounts");
  Params params(call.params);
  params.reject_unknown();
  const std::string& id = request.path_args[0];
  if (id == call.platform_account_id) {
    throw ApiError::invalid_request("The platform's own account cannot be deleted.", "account");
  }
  const Account account = connected_account_to_change(store, call, id, "delete it", "id");
  for (bool livemode : {false, true}) {
    PageRequest page;
    page.limit = 100;
    for (;;) {
      const Page<WebhookEndpoint> endpoints = store.list_endpoints(account.id, livemode, page);
      for (const WebhookEndpoint& endpoint : endpoints.items) store.delete_endpoint(endpoint.id);
      if (!endpoints.has_more || endpoints.items.empty()) break;
    }
  }
  store.delete_account(account.id);
  return json_response(deleted_json(account.id, "account"));
}

// GET /v1/accounts: the connected accounts reachable in the key's mode.
ApiResponse list_accounts(const Request& request) {
  const ApiCall& call = request.call;
  Store& store = request.context.store;
  require_platform_caller(call, "list connected accounts");
  Params params(call.params);
  params.ignore("expand");
  const CreatedRange created = read_created_range(params);
  const PageRequest page = read_page_request(params);
  params.reject_unknown();
  auto reachable = [&](const Account& account) {
    return !account.is_platform() && !account.deauthorized &&
           reachable_in_mode(account, call.livemode);
  };
  auto listed_here = [&](const Account& account) {
    return reachable(account) && created.contains(account.created);
  };
  // A cursor outside the created range is still a valid place to start from.
  require_cursor(page, "account", [&](const std::string& id) {
    std::optional<Account> cursor = store.get_account(id);
    return cursor && reachable(*cursor);
  });
  const Page<Account> found = filtered_page<Account>(
      page, [&](const PageRequest& walk) { return store.list_accounts(walk); }, listed_here);
  std::vector<std::string> items;
  for (const Account& account : found.items) {
    items.push_back(json::serialize(account_object(account)));
  }
  return json_response(render_list("/v1/accounts", items, found.has_more));
}

}  // namespace

void add_account_routes(RouteTable& routes) {
  routes.add("POST", "/v1/accounts", create_account);
  routes.add("GET", "/v1/accounts", list_accounts);
  routes.add("GET", "/v1/accounts/{id}", retrieve_account);
  routes.add("POST", "/v1/accounts/{id}", update_account);
  routes.add("DELETE", "/v1/accounts/{id}", delete_account);
  routes.add("GET", "/v1/account", retrieve_own_account);
}

}  // namespace hookline::api
