#include "api/http/dashboard_response.hpp"

#include <string>

#include "dashboard/dashboard_assets.hpp"

namespace hookline::api {

const std::string_view kDashboardContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

std::optional<ApiResponse> dashboard_response(std::string_view path) {
  const dashboard::Asset* asset = dashboard::find_asset(path);
  if (asset == nullptr) return std::nullopt;
  ApiResponse response{200, std::string(asset->body), {}};
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
