// hookline's GET /v1/webhook_endpoints/{id}/secret: the endpoint's current
// signing secret, on demand (the dashboard's "Reveal"). Each reveal is written
// to the server's log — who, which endpoint, never the secret itself.
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "api/resources/caller_access.hpp"
#include "api/resources/params.hpp"
#include "api/resources/resource_routes.hpp"

namespace hookline::api {

namespace {

ApiResponse reveal_secret(const Request& request) {
  Params params(request.call.params);
  params.reject_unknown();
  const WebhookEndpoint endpoint =
      endpoint_of_caller(request.context.store, request.call, request.path_args[0]);
  spdlog::info("{} the signing secret of {} was revealed to account {} ({} key)",
               request.call.request_id, endpoint.id, request.call.account_id,
               request.call.livemode ? "live" : "test");
  boost::json::object out;
  out["object"] = "webhook_endpoint_secret";
  out["webhook_endpoint"] = endpoint.id;
  out["secret"] = endpoint.secrets.empty() ? std::string() : endpoint.secrets.front().secret;
  return json_response(boost::json::serialize(out));
}

}  // namespace

void add_endpoint_secret_routes(RouteTable& routes) {
  routes.add("GET", "/v1/webhook_endpoints/{id}/secret", reveal_secret);
}

}  // namespace hookline::api
