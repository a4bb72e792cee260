#pragma once
// GET / and the dashboard's assets, as responses with the headers that lock
// the page down: a strict Content-Security-Policy (only this origin's script,
// style and connections; no inline code; no framing), nosniff, no referrer,
// and caching by content hash.
#include <optional>
#include <string_view>

#include "api/api_call.hpp"

namespace hookline::api {

// The response for a dashboard path, or nullopt when `path` is none of its
// files: 304 Not Modified, without a body, when `if_none_match` (the request's
// If-None-Match) names the file's ETag.
std::optional<ApiResponse> dashboard_response(std::string_view path,
                                              std::string_view if_none_match = {});

// Whether an If-None-Match value (a list of entity tags, or "*") names `etag`.
bool etag_matches(std::string_view if_none_match, std::string_view etag);

// The Content-Security-Policy every dashboard response carries.
extern const std::string_view kDashboardContentSecurityPolicy;

}  // namespace hookline::api
