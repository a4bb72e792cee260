// hookline's GET /v1/webhook_stats: the dashboard's overview. Events per
// bucket (the caller's account when acting as a connected account, else every
// account, in the key's mode), and the attempts to the caller's endpoints:
// counts, success rate, p50/p95 latency, per bucket and per endpoint.
#include <boost/json.hpp>

#include "api/api_error.hpp"
#include "api/resources/activity_buckets.hpp"
#include "api/resources/params.hpp"
#include "api/resources/resource_routes.hpp"
#include "delivery/dispatcher.hpp"

namespace hookline::api {

namespace {

namespace json = boost::json;

json::value number_or_null(const std::optional<double>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

void put_fold(json::object& object, const AttemptFold& fold) {
  object["attempts"] = fold.attempts;
  object["succeeded"] = fold.succeeded;
  object["success_rate"] = number_or_null(fold.success_rate());
  object["latency_p50_ms"] = number_or_null(fold.latency_percentile_ms(50));
  object["latency_p95_ms"] = number_or_null(fold.latency_percentile_ms(95));
}

std::vector<WebhookEndpoint> endpoints_of(Store& store, const ApiCall& call) {
  std::vector<WebhookEndpoint> all;
  PageRequest page;
  page.limit = 100;
  for (;;) {
    Page<WebhookEndpoint> found = store.list_endpoints(call.account_id, call.livemode, page);
    for (WebhookEndpoint& endpoint : found.items) all.push_back(std::move(endpoint));
    if (!found.has_more || all.empty()) return all;
    page.starting_after = all.back().id;
  }
}

// GET /v1/webhook_stats?window=hour|day
ApiResponse webhook_stats(const Request& request) {
  Params params(request.call.params);
  const std::string window_name = params.string("window").value_or("hour");
  params.reject_unknown();
  const int64_t now_ms = request.context.clock.now_ms();
  const std::optional<StatsWindow> window = stats_window(window_name, now_ms / 1000);
  if (!window) {
    throw ApiError::invalid_request("Invalid window: must be one of hour or day", "window");
  }
  Store& store = request.context.store;
  const ApiCall& call = request.call;

  EventActivityQuery events_query;
  events_query.account_id = call.as_connected_account ? call.account_id : std::string();
  events_query.livemode = call.livemode;
  events_query.since = window->since;
  events_query.bucket_seconds = window->bucket_seconds;
  events_query.bucket_count = window->bucket_count;
  const EventActivity events = store.event_activity(events_query);

  const int64_t disable_after_ms =
      request.context.dispatcher != nullptr ? request.context.dispatcher->disable_after_ms() : 0;
  std::vector<AttemptFold> bucket_folds(static_cast<std::size_t>(window->bucket_count));
  AttemptFold total_fold;
  json::array endpoints;
  for (const WebhookEndpoint& endpoint : endpoints_of(store, call)) {
    AttemptFold fold;
    for (const AttemptHistogramCell& cell :
         store.attempt_histogram(endpoint.id, window->since * 1000, window->bucket_seconds * 1000,
                                 window->bucket_count)) {
      if (cell.bucket < 0 || cell.bucket >= window->bucket_count) continue;
      fold.add(cell);
      bucket_folds[static_cast<std::size_t>(cell.bucket)].add(cell);
      total_fold.add(cell);
    }
    json::object entry;
    entry["webhook_endpoint"] = endpoint.id;
    entry["status"] = endpoint.status == EndpointStatus::kEnabled ? "enabled" : "disabled";
    put_fold(entry, fold);
    const bool failing = endpoint.failing_since_ms > 0;
    entry["failing_since"] = failing ? json::value(endpoint.failing_since_ms / 1000) : nullptr;
    entry["disables_at"] =
        failing && disable_after_ms > 0 && endpoint.status == EndpointStatus::kEnabled
            ? json::value((endpoint.failing_since_ms + disable_after_ms) / 1000)
            : nullptr;
    endpoints.push_back(std::move(entry));
  }

  json::array buckets;
  int64_t event_total = 0;
  for (int i = 0; i < window->bucket_count; ++i) {
    json::object bucket;
    bucket["start"] = window->since + i * window->bucket_seconds;
    const int64_t count = events.events_per_bucket[static_cast<std::size_t>(i)];
    bucket["events"] = count;
    event_total += count;
    put_fold(bucket, bucket_folds[static_cast<std::size_t>(i)]);
    buckets.push_back(std::move(bucket));
  }
  json::object totals;
  totals["events"] = event_total;
  put_fold(totals, total_fold);

  json::object out;
  out["object"] = "webhook_stats";
  out["livemode"] = call.livemode;
  out["window"] = window_name;
  out["bucket_seconds"] = window->bucket_seconds;
  out["since"] = window->since;
  out["buckets"] = std::move(buckets);
  out["totals"] = std::move(totals);
  out["pending_webhooks"] = events.pending_webhooks;
  out["endpoints"] = std::move(endpoints);
  return json_response(json::serialize(out));
}

}  // namespace

void add_webhook_stats_routes(RouteTable& routes) {
  routes.add("GET", "/v1/webhook_stats", webhook_stats);
}

}  // namespace hookline::api
