// hookline's delivery log: GET /v1/events/{id}/attempts and
// GET /v1/webhook_endpoints/{id}/attempts, newest first, paginated.
#include <functional>

#include "api/api_error.hpp"
#include "api/resources/caller_access.hpp"
#include "api/resources/object_json.hpp"
#include "api/resources/pagination.hpp"
#include "api/resources/resource_routes.hpp"
#include "api/resources/type_pattern.hpp"

namespace hookline::api {

namespace {

using FetchAttempts = std::function<Page<Attempt>(const PageRequest&)>;

// Reads the page, checks its cursor is an attempt of this list, renders it.
// `params` holds the call's parameters less the list's own filters.
ApiResponse list_attempts(Params& params, const std::string& url, const FetchAttempts& fetch) {
  params.ignore("expand");
  PageRequest page = read_page_request(params);
  params.reject_unknown();
  const std::string given_cursor = page_cursor(page);
  if (!given_cursor.empty()) {
    const std::string cursor = attempt_cursor(given_cursor);
    auto id_of = [](const Attempt& attempt) { return std::to_string(attempt.id); };
    if (cursor.empty() || !listed<Attempt>(cursor, fetch, id_of)) {
      throw ApiError::no_such("webhook attempt", given_cursor, page_cursor_param(page));
    }
    (page.starting_after.empty() ? page.ending_before : page.starting_after) = cursor;
  }
  const Page<Attempt> found = fetch(page);
  std::vector<std::string> items;
  for (const Attempt& attempt : found.items) items.push_back(webhook_attempt_json(attempt));
  return json_response(render_list(url, items, found.has_more));
}

// GET /v1/events/{id}/attempts
ApiResponse event_attempts(const Request& request) {
  Store& store = request.context.store;
  const StoredEvent event = event_of_caller(store, request.call, request.path_args[0]);
  Params params(request.call.params);
  return list_attempts(
      params, "/v1/events/" + event.id + "/attempts",
      [&](const PageRequest& page) { return store.list_attempts_for_event(event.id, page); });
}

// GET /v1/webhook_endpoints/{id}/attempts (listen sessions' too: the caller owns
// them), optionally `type=` an event type or a pattern ("payment_intent.*").
ApiResponse endpoint_attempts(const Request& request) {
  Store& store = request.context.store;
  const WebhookEndpoint endpoint =
      endpoint_of_caller(store, request.call, request.path_args[0], "id", true);
  Params params(request.call.params);
  std::vector<std::string> types;
  if (std::optional<std::string> type = params.string("type")) {
    check_type_pattern(*type, "type");
    types.push_back(std::move(*type));
  }
  return list_attempts(params, "/v1/webhook_endpoints/" + endpoint.id + "/attempts",
                       [&](const PageRequest& page) {
                         return store.list_attempts_for_endpoint(endpoint.id, page, types);
                       });
}

}  // namespace

void add_attempt_routes(RouteTable& routes) {
  routes.add("GET", "/v1/events/{id}/attempts", event_attempts);
  routes.add("GET", "/v1/webhook_endpoints/{id}/attempts", endpoint_attempts);
}

}  // namespace hookline::api
