#pragma once
// Each resource file adds its routes to the table (see handle_call.cpp).
#include "api/resources/route_table.hpp"

namespace hookline::api {

void add_webhook_endpoint_routes(RouteTable& routes);
void add_event_routes(RouteTable& routes);
void add_event_publish_routes(RouteTable& routes);
void add_attempt_routes(RouteTable& routes);
void add_account_routes(RouteTable& routes);
void add_oauth_routes(RouteTable& routes);
void add_webhook_stats_routes(RouteTable& routes);
void add_endpoint_secret_routes(RouteTable& routes);
// Last: GET /v1/{resource}/{id} for the objects events carry.
void add_carried_object_routes(RouteTable& routes);

}  // namespace hookline::api
