// /v1/webhook_endpoints: create, retrieve, update, delete, list, and
// hookline's roll_secret. Endpoints belong to the account the call acts as,
// in the key's mode.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/api_error.hpp"
#include "api/resources/caller_access.hpp"
#include "api/resources/endpoint_params.hpp"
#include "api/resources/metadata_param.hpp"
#include "api/resources/object_json.hpp"
#include "api/resources/pagination.hpp"
#include "api/resources/resource_routes.hpp"
#include "core/ids.hpp"

namespace hookline::api {

namespace json = boost::json;

namespace {

constexpr int64_t kMaxRollExpirySeconds = 24 * 3600;

std::string render(const Request& request, const WebhookEndpoint& endpoint, bool with_secret) {
  return webhook_endpoint_json(endpoint, application_id(request.call.platform_account_id),
                               with_secret);
}

json::object parse_object(const std::string& text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  return !ec && value.is_object() ? value.as_object() : json::object();
}

// Secrets rolled out earlier whose grace period is over are forgotten.
void drop_expired_secrets(WebhookEndpoint& endpoint, int64_t now_ms) {
  std::erase_if(endpoint.secrets, [now_ms](const EndpointSecret& secret) {
    return secret.expires_at_ms != 0 && secret.expires_at_ms <= now_ms;
  });
}

// Description: "" (Stripe's way to unset) clears it.
void apply_description(Params& params, WebhookEndpoint& endpoint) {
  if (std::optional<std::string> description = read_description(params)) {
    endpoint.description = *description;
  }
}

// POST /v1/webhook_endpoints
ApiResponse create_endpoint(const Request& request) {
  const ApiCall& call = request.call;
  Params params(call.params);
  params.ignore("expand");
  WebhookEndpoint endpoint;
  endpoint.url = read_endpoint_url(params);
  if (endpoint.url.empty()) throw ApiError::missing_parameter("url");
  endpoint.enabled_events = read_enabled_events(params);
  if (endpoint.enabled_events.empty()) throw ApiError::missing_parameter("enabled_events");
  endpoint.connect = params.boolean("connect").value_or(false);
  if (endpoint.connect) require_platform_caller(call, "create Connect webhook endpoints");
  endpoint.api_version = read_api_version(params);
  apply_description(params, endpoint);
  json::object metadata;
  apply_metadata_param(params, metadata);
  params.reject_unknown();

  endpoint.id = new_id("we");
  endpoint.account_id = call.account_id;
  endpoint.livemode = call.livemode;
  endpoint.metadata_json = json::serialize(metadata);
  endpoint.secrets = {{new_webhook_secret(), 0}};
  endpoint.created = request.context.clock.now_seconds();
  request.context.store.put_endpoint(endpoint);
  return json_response(render(request, endpoint, true));
}

// GET /v1/webhook_endpoints/{id}
ApiResponse retrieve_endpoint(const Request& request) {
  Params params(request.call.params);
  params.ignore("expand");
  params.reject_unknown();
  const WebhookEndpoint endpoint =
      endpoint_of_caller(request.context.store, request.call, request.path_args[0]);
  return json_response(render(request, endpoint, false));
}

// POST /v1/webhook_endpoints/{id}
ApiResponse update_endpoint(const Request& request) {
  Store& store = request.context.store;
  WebhookEndpoint endpoint = endpoint_of_caller(store, request.call, request.path_args[0]);
  Params params(request.call.params);
  params.ignore("expand");
  if (std::string url = read_endpoint_url(params); !url.empty()) endpoint.url = std::move(url);
  if (params.has("enabled_events")) {
    std::vector<std::string> events = read_enabled_events(params);
    if (events.empty()) throw ApiError::missing_parameter("enabled_events");
    endpoint.enabled_events = std::move(events);
  }
  apply_description(params, endpoint);
  json::object metadata = parse_object(endpoint.metadata_json);
  apply_metadata_param(params, metadata);
  endpoint.metadata_json = json::serialize(metadata);
  if (std::optional<bool> disabled = params.boolean("disabled")) {
    const EndpointStatus status = *disabled ? EndpointStatus::kDisabled : EndpointStatus::kEnabled;
    // Re-enabled: its run of failures starts over, or it would be disabled again at once.
    if (status == EndpointStatus::kEnabled && endpoint.status == EndpointStatus::kDisabled) {
      endpoint.failing_since_ms = 0;
    }
    endpoint.status = status;
  }
  params.reject_unknown();
  drop_expired_secrets(endpoint, request.context.clock.now_ms());
  store.put_endpoint(endpoint);
  return json_response(render(request, endpoint, false));
}

// DELETE /v1/webhook_endpoints/{id}
ApiResponse delete_endpoint(const Request& request) {
  Params params(request.call.params);
  params.reject_unknown();
  const WebhookEndpoint endpoint =
      endpoint_of_caller(request.context.store, request.call, request.path_args[0]);
  request.context.store.delete_endpoint(endpoint.id);
  return json_response(deleted_json(endpoint.id, "webhook_endpoint"));
}

// GET /v1/webhook_endpoints
ApiResponse list_endpoints(const Request& request) {
  const ApiCall& call = request.call;
  Store& store = request.context.store;
  Params params(call.params);
  params.ignore("expand");
  const PageRequest page = read_page_request(params);
  params.reject_unknown();
  require_cursor(page, "webhook endpoint", [&](const std::string& id) {
    std::optional<WebhookEndpoint> cursor = store.get_endpoint(id);
    return cursor && cursor->account_id == call.account_id && cursor->livemode == call.livemode &&
           !cursor->listen_session;
  });
  const Page<WebhookEndpoint> found = store.list_endpoints(call.account_id, call.livemode, page);
  std::vector<std::string> items;
  for (const WebhookEndpoint& endpoint : found.items) {
    items.push_back(render(request, endpoint, false));
  }
  return json_response(render_list("/v1/webhook_endpoints", items, found.has_more));
}

// POST /v1/webhook_endpoints/{id}/roll_secret (hookline's own): a new secret,
// shown once; the old one keeps signing (a second v1=) until `expires_in`
// seconds from now (default and at most 24 h; 0: at once).
ApiResponse roll_secret(const Request& request) {
  Store& store = request.context.store;
  WebhookEndpoint endpoint = endpoint_of_caller(store, request.call, request.path_args[0]);
  Params params(request.call.params);
  params.ignore("expand");
  const int64_t expires_in =
      params.integer_in("expires_in", 0, kMaxRollExpirySeconds).value_or(kMaxRollExpirySeconds);
  params.reject_unknown();
  const int64_t now_ms = request.context.clock.now_ms();
  drop_expired_secrets(endpoint, now_ms);
  for (EndpointSecret& secret : endpoint.secrets) {
    if (secret.expires_at_ms == 0) secret.expires_at_ms = now_ms + expires_in * 1000;
  }
  if (expires_in == 0) endpoint.secrets.clear();
  endpoint.secrets.insert(endpoint.secrets.begin(), EndpointSecret{new_webhook_secret(), 0});
  store.put_endpoint(endpoint);
  return json_response(render(request, endpoint, true));
}

}  // namespace

void add_webhook_endpoint_routes(RouteTable& routes) {
  routes.add("POST", "/v1/webhook_endpoints", create_endpoint);
  routes.add("GET", "/v1/webhook_endpoints", list_endpoints);
  routes.add("GET", "/v1/webhook_endpoints/{id}", retrieve_endpoint);
  routes.add("POST", "/v1/webhook_endpoints/{id}", update_endpoint);
  routes.add("DELETE", "/v1/webhook_endpoints/{id}", delete_endpoint);
  routes.add("POST", "/v1/webhook_endpoints/{id}/roll_secret", roll_secret);
}

}  // namespace hookline::api
