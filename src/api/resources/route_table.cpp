#include "api/resources/route_table.hpp"

#include <fmt/format.h>

#include "api/api_error.hpp"

namespace hookline::api {

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = path.empty() || path.front() != '/' ? 0 : 1;
  while (true) {
    const std::size_t slash = path.find('/', start);
    segments.push_back(path.substr(start, slash == std::string::npos ? slash : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return segments;
}

ApiError unrecognized_url(const ApiCall& call) {
  std::string hint;
  if (call.path.size() > 1 && call.path.back() == '/') {
    hint =
        " If you are trying to list objects, remove the trailing slash. If you are trying to "
        "retrieve an object, make sure you passed a valid (non-empty) identifier in your code.";
  }
  return ApiError(404, "invalid_request_error",
                  fmt::format("Unrecognized request URL ({}: {}).{} Please see "
                              "https://stripe.com/docs or we can help at "
                              "https://support.stripe.com/.",
                              call.method, call.path, hint));
}

}  // namespace

void RouteTable::add(std::string method, const std::string& pattern, Handler handler) {
  Route route{std::move(method), split_path(pattern), std::move(handler)};
  for (std::string& segment : route.segments) {
    if (segment.size() >= 2 && segment.front() == '{' && segment.back() == '}') segment.clear();
  }
  routes_.push_back(std::move(route));
}

ApiResponse RouteTable::dispatch(ApiContext& context, const ApiCall& call) const {
  const std::vector<std::string> segments = split_path(call.path);
  for (const Route& route : routes_) {
    if (route.method != call.method || route.segments.size() != segments.size()) continue;
    Request request{context, call, {}};
    bool matches = true;
    for (std::size_t i = 0; i < segments.size() && matches; ++i) {
      if (route.segments[i].empty()) {
        matches = !segments[i].empty();
        request.path_args.push_back(segments[i]);
      } else {
        matches = route.segments[i] == segments[i];
      }
    }
    if (matches) return route.handler(request);
  }
  throw unrecognized_url(call);
}

ApiResponse json_response(std::string body, int status) {
  ApiResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

}  // namespace hookline::api
