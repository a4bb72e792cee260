#include "delivery/http_attempt.hpp"

#include <algorithm>
#include <utility>

#include "delivery/delivery_outcome.hpp"
#include "signing/signature.hpp"

namespace hookline::delivery {

namespace {

constexpr std::size_t kMinHostConnections = 256;

}  // namespace

HttpSenderOptions sender_options_for(std::size_t max_in_flight, std::size_t per_endpoint,
                                     std::string user_agent) {
  HttpSenderOptions options;
  options.user_agent = std::move(user_agent);
  // The per-endpoint slots govern; the host limit only keeps many endpoints
  // on one host from opening more than a few endpoints' worth of connections.
  options.max_host_connections =
      static_cast<long>(std::max<std::size_t>(kMinHostConnections, 8 * per_endpoint));
  options.max_cached_connections =
      static_cast<long>(std::clamp<std::size_t>(max_in_flight, 16, 4096));
  options.open_files_wanted = max_in_flight + 1024;
  return options;
}

void fill_request(SendRequest& request, const WebhookEndpoint& endpoint, std::string&& body,
                  bool event_livemode, int64_t at_ms, const PrivateTargetRules& private_targets,
                  int64_t timeout_ms, std::vector<std::string_view>& secrets) {
  request.url.assign(endpoint.url);
  request.body = std::move(body);
  active_secrets(endpoint, at_ms, secrets);
  signing::render_signature_header(request.signature, at_ms / 1000, request.body, secrets,
                                   !event_livemode);
  request.block_private_addresses = private_targets.blocks(endpoint.livemode, endpoint.url);
  request.allowed_private = private_targets.allowlist;
  request.timeout_ms = timeout_ms;
}

}  // namespace hookline::delivery
