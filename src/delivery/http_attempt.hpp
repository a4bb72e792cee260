#pragma once
// An HTTP attempt as the dispatcher makes it: the sender set up for its
// options, and each request filled in for the endpoint it goes to.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/models.hpp"
#include "delivery/http_sender.hpp"
#include "delivery/target_allowlist.hpp"

namespace hookline::delivery {

// The sender's limits for at most `max_in_flight` attempts at once, at most
// `per_endpoint` of them to one endpoint.
HttpSenderOptions sender_options_for(std::size_t max_in_flight, std::size_t per_endpoint,
                                     std::string user_agent);

// Fills `request` in place (its strings keep their capacity, so this does not
// allocate once warm): the endpoint's URL, `body` (moved in), the signature
// with the secrets active at `at_ms` (`secrets` is scratch space), whether the
// address policy holds, and the timeout.
void fill_request(SendRequest& request, const WebhookEndpoint& endpoint, std::string&& body,
                  bool event_livemode, int64_t at_ms, const PrivateTargetRules& private_targets,
                  int64_t timeout_ms, std::vector<std::string_view>& secrets);

}  // namespace hookline::delivery
