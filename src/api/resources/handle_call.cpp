// handle_call: the API's single entry point below the transport.
#include <future>
#include <memory>

#include "api/api_context.hpp"
#include "api/api_error.hpp"
#include "api/resources/resource_routes.hpp"

namespace hookline::api {

namespace {

const RouteTable& route_table() {
  static const RouteTable routes = [] {
    RouteTable table;
    add_webhook_endpoint_routes(table);
    add_attempt_routes(table);
    add_event_routes(table);
    add_event_publish_routes(table);
    add_account_routes(table);
    add_oauth_routes(table);
    add_webhook_stats_routes(table);
    add_endpoint_secret_routes(table);
    add_carried_object_routes(table);
    return table;
  }();
  return routes;
}

}  // namespace

ApiResponse handle_call(ApiContext& context, const ApiCall& call) {
  return wait_for_commit(start_call(context, call));
}

ApiResponse wait_for_commit(ApiResponse response, std::optional<IdempotentRecord> keep) {
  if (!response.commit) return response;
  const auto commit = std::move(response.commit);
  response.commit = nullptr;
  // Shared: the writer may still hold the completion after get() returned.
  auto committed = std::make_shared<std::promise<void>>();
  std::future<void> done = committed->get_future();
  commit(std::move(keep), [committed](std::exception_ptr error) {
    if (error) {
      committed->set_exception(error);
    } else {
      committed->set_value();
    }
  });
  done.get();
  return response;
}

ApiResponse start_call(ApiContext& context, const ApiCall& call) {
  try {
    return route_table().dispatch(context, call);
  } catch (const PublishError& e) {
    // Bad input to an event (unknown type, not available for the account, …).
    throw ApiError::invalid_request(e.what(), e.param());
  }
}

}  // namespace hookline::api
