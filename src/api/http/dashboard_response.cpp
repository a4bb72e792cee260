#include "api/http/dashboard_response.hpp"

#include <string>

#include "dashboard/dashboard_assets.hpp"

namespace hookline::api {

const std::string_view kDashboardContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  // A list of entity tags (weak ones compare as strong here: the bytes are
  // the same whatever the encoding), or "*".
  std::size_t start = 0;
  while (start < if_none_match.size()) {
    std::size_t end = if_none_match.find(',', start);
    if (end == std::string_view::npos) end = if_none_match.size();
    std::string_view tag = if_none_match.substr(start, end - start);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    start = end + 1;
  }
  return false;
}

std::optional<ApiResponse> dashboard_response(std::string_view path,
                                              std::string_view if_none_match) {
  const dashboard::Asset* asset = dashboard::find_asset(path);
  if (asset == nullptr) return std::nullopt;
  // The browser holds these bytes already: 304 with the same headers, no body.
  const bool not_modified = !if_none_match.empty() && etag_matches(if_none_match, asset->etag);
  ApiResponse response{
      not_modified ? 304 : 200, not_modified ? std::string() : std::string(asset->body), {}};
  response.headers = {
      {"Content-Type", std::string(asset->content_type)},
      // The page revalidates (it names the current bundle); the bundle never changes.
      {"Cache-Control", asset->immutable ? "public, max-age=31536000, immutable" : "no-cache"},
      {"ETag", std::string(asset->etag)},
      {"Content-Security-Policy", std::string(kDashboardContentSecurityPolicy)},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
  };
  return response;
}

}  // namespace hookline::api
