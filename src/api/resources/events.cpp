// /v1/events: retrieve, list (with Stripe's filters) and retry (a manual
// resend to one endpoint). Events are seen as the account they happened on,
// in their mode.
#include <fmt/format.h>

#include <algorithm>

#include "api/api_error.hpp"
#include "api/resources/caller_access.hpp"
#include "api/resources/created_range.hpp"
#include "api/resources/object_json.hpp"
#include "api/resources/pagination.hpp"
#include "api/resources/resource_routes.hpp"
#include "api/resources/type_pattern.hpp"
#include "delivery/dispatcher.hpp"
#include "routing/router.hpp"

namespace hookline::api {

namespace {

constexpr std::size_t kMaxTypes = 20;
// What the events of one list page may hold in all (the first one always
// fits): a page of 100 events of up to 1 MiB each would otherwise take
// 100 MiB, several times over while it is read, rendered and sent.
constexpr std::size_t kListPageBytes = 4 << 20;

void read_type_filter(Params& params, EventFilter& filter) {
  std::optional<std::string> type = params.string("type");
  std::optional<std::vector<std::string>> types = params.string_list("types");
  if (type && types) {
    throw ApiError::invalid_request("You may only specify one of these parameters: type, types.",
                                    "types");
  }
  if (type) {
    check_type_pattern(*type, "type");
    filter.types = {*type};
  }
  if (types) {
    if (types->size() > kMaxTypes) {
      throw ApiError::invalid_request(
          fmt::format("Invalid types: up to {} types may be given; {} were.", kMaxTypes,
                      types->size()),
          "types");
    }
    for (std::size_t i = 0; i < types->size(); ++i) {
      check_type_pattern((*types)[i], fmt::format("types[{}]", i));
    }
    filter.types = *types;
  }
}

// GET /v1/events/{id}
ApiResponse retrieve_event(const Request& request) {
  Params params(request.call.params);
  params.ignore("expand");
  params.reject_unknown();
  const StoredEvent event = event_of_caller(request.context.store, request.call, request.path_args[0]);
  return json_response(event_json(event));
}

// GET /v1/events
ApiResponse list_events(const Request& request) {
  const ApiCall& call = request.call;
  Store& store = request.context.store;
  Params params(call.params);
  params.ignore("expand");
  EventFilter filter;
  filter.account_id = call.account_id;
  filter.livemode = call.livemode;
  read_type_filter(params, filter);
  const CreatedRange created = read_created_range(params);
  filter.created_gt = created.gt;
  filter.created_gte = created.gte;
  filter.created_lt = created.lt;
  filter.created_lte = created.lte;
  filter.delivery_success = params.boolean("delivery_success");
  PageRequest page = read_page_request(params);
  page.max_bytes = kListPageBytes;
  params.reject_unknown();
  require_cursor(page, "event", [&](const std::string& id) {
    std::optional<StoredEvent> cursor = store.get_event(id);
    return cursor && cursor->account_id == call.account_id && cursor->livemode == call.livemode;
  });
  const Page<StoredEvent> found = store.list_events(filter, page);
  std::vector<std::string> items;
  items.reserve(found.items.size());
  for (const StoredEvent& event : found.items) items.push_back(event_json(event));
  return json_response(render_list("/v1/events", items, found.has_more));
}

// The endpoint a resend may go to: the caller's own, or (for an event of a
// connected account) one of the platform's Connect endpoints; and one that the
// routing rules send this event to.
WebhookEndpoint resend_target(const Request& request, const StoredEvent& event,
                              const std::string& endpoint_id) {
  const ApiCall& call = request.call;
  Store& store = request.context.store;
  std::optional<WebhookEndpoint> endpoint = store.get_endpoint(endpoint_id);
  const bool owned =
      endpoint && (endpoint->account_id == call.account_id ||
                   (endpoint->connect && endpoint->account_id == call.platform_account_id));
  if (!owned) throw ApiError::no_such("webhook endpoint", endpoint_id, "webhook_endpoint");
  std::optional<Account> account = store.get_account(event.account_id);
  if (!account) throw ApiError::no_such("event", event.id);
  if (endpoint->status != EndpointStatus::kEnabled) {
    throw ApiError::invalid_request(
        fmt::format("The webhook endpoint {} is disabled; enable it to resend events to it.",
                    endpoint_id),
        "webhook_endpoint");
  }
  const std::vector<std::string> routed = routing::route_event(
      *account, call.platform_account_id, event.livemode, event.type, {*endpoint});
  if (routed.empty()) {
    throw ApiError::invalid_request(
        fmt::format("The webhook endpoint {} does not receive this event ({} in {} mode): "
                    "check its enabled_events, its mode and whether it is a Connect endpoint.",
                    endpoint_id, event.type, event.livemode ? "live" : "test"),
        "webhook_endpoint");
  }
  return *endpoint;
}

// The caller as it acts on the event's account: itself, or (with `account`,
// as the Stripe CLI's `events resend --account` sends it) the platform acting
// on one of its connected accounts, as a Stripe-Account header would.
ApiCall caller_on_account(const Request& request, const std::optional<std::string>& account) {
  ApiCall call = request.call;
  if (!account || account->empty() || *account == call.account_id) return call;
  require_platform_caller(call, "resend events of other accounts");
  const Account connected = connected_account_for(request.context.store, call, *account);
  call.account_id = connected.id;
  call.as_connected_account = true;
  return call;
}

// for_stripecli=true: the enabled `hookline listen` session endpoints that
// this event is routed to (Stripe replays to the CLI's listen sessions).
std::vector<WebhookEndpoint> listen_session_targets(const Request& request, const ApiCall& call,
                                                    const StoredEvent& event) {
  Store& store = request.context.store;
  std::optional<Account> account = store.get_account(event.account_id);
  if (!account) throw ApiError::no_such("event", event.id);
  std::vector<WebhookEndpoint> sessions;
  for (WebhookEndpoint& endpoint : store.routing_candidates(event.account_id)) {
    const bool owned = endpoint.account_id == call.account_id ||
                       (endpoint.connect && endpoint.account_id == call.platform_account_id);
    if (endpoint.listen_session && owned && endpoint.status == EndpointStatus::kEnabled) {
      sessions.push_back(std::move(endpoint));
    }
  }
  const std::vector<std::string> routed = routing::route_event(
      *account, call.platform_account_id, event.livemode, event.type, sessions);
  std::vector<WebhookEndpoint> targets;
  for (WebhookEndpoint& endpoint : sessions) {
    if (std::find(routed.begin(), routed.end(), endpoint.id) != routed.end()) {
      targets.push_back(std::move(endpoint));
    }
  }
  if (targets.empty()) {
    throw ApiError::invalid_request(
        fmt::format("No `hookline listen` session receives this event ({} in {} mode): start "
                    "one, or name a webhook_endpoint.",
                    event.type, event.livemode ? "live" : "test"),
        "for_stripecli");
  }
  return targets;
}

// POST /v1/events/{id}/retry: delivers the event to one endpoint (or, with
// for_stripecli=true, to the listen sessions) again, now, once; the automatic
// retries go on as they were.
ApiResponse retry_event(const Request& request) {
  ApiContext& context = request.context;
  Params params(request.call.params);
  params.ignore("expand");
  const std::optional<std::string> account = params.string("account");
  const bool for_stripecli = params.boolean("for_stripecli").value_or(false);
  const std::optional<std::string> endpoint_id = params.string("webhook_endpoint");
  if (!for_stripecli && !endpoint_id) throw ApiError::missing_parameter("webhook_endpoint");
  params.reject_unknown();
  const ApiCall call = caller_on_account(request, account);
  const StoredEvent event = event_of_caller(context.store, call, request.path_args[0]);
  std::vector<WebhookEndpoint> targets;
  if (endpoint_id) {
    const Request as_account{context, call, request.path_args};
    targets.push_back(resend_target(as_account, event, *endpoint_id));
  } else {
    targets = listen_session_targets(request, call, event);
  }
  for (const WebhookEndpoint& endpoint : targets) {
    if (context.store.add_manual_delivery(event.id, endpoint.id, context.clock.now_ms()) == 0) {
      throw ApiError::no_such("event", event.id);  // pruned meanwhile
    }
  }
  if (context.dispatcher != nullptr) context.dispatcher->wake();
  return json_response(event_json(event));
}

}  // namespace

void add_event_routes(RouteTable& routes) {
  routes.add("GET", "/v1/events", list_events);
  routes.add("GET", "/v1/events/{id}", retrieve_event);
  routes.add("POST", "/v1/events/{id}/retry", retry_event);
}

}  // namespace hookline::api
