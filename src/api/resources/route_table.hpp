#pragma once
// The API's route table: {method, path pattern, handler}. A pattern's
// "{name}" segments match any non-empty segment and are handed to the handler
// in order. A path no route knows, or a known path with another method, is
// answered like Stripe: 404 "Unrecognized request URL (GET: /v1/foo). …".
#include <functional>
#include <string>
#include <vector>

#include "api/api_context.hpp"

namespace hookline::api {

// One call being answered.
struct Request {
  ApiContext& context;
  const ApiCall& call;
  std::vector<std::string> path_args;  // the "{…}" segments of the matched pattern
};

using Handler = std::function<ApiResponse(const Request&)>;

class RouteTable {
 public:
  // `pattern`: "/v1/webhook_endpoints/{id}". Earlier routes win.
  void add(std::string method, const std::string& pattern, Handler handler);
  // Throws ApiError (404) if no route matches.
  ApiResponse dispatch(ApiContext& context, const ApiCall& call) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // literal, or "" for a variable
    Handler handler;
  };
  std::vector<Route> routes_;
};

// A 200 (or `status`) response with a JSON body.
ApiResponse json_response(std::string body, int status = 200);

}  // namespace hookline::api
