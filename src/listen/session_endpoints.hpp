#pragma once
// The webhook endpoints of a listen session, kept in the store per API key
// (see ListenHub). Not thread-safe for the same key: the hub serializes calls.
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "listen/listen_connection.hpp"
#include "listen/listen_protocol.hpp"
#include "store/store.hpp"

namespace hookline::listen {

struct SessionEndpoints {
  std::string secret;  // whsec_…, the same for every connection with this key
  std::vector<WebhookEndpoint> endpoints;  // enabled now, as stored
  std::vector<std::string> retired_ids;    // the key's other endpoints, disabled now
};

// Creates or re-enables the session's endpoints for `client` and `query`:
// an account endpoint owned by client.account_id and, if `is_platform`, a
// Connect endpoint; in test mode, plus live mode if query.live. Their
// enabled_events become query.events, their secret the key's, and their
// api_version the newest published one if query.latest (else none: the
// platform's default). Endpoints
// the key had before but that this query does not want are disabled.
SessionEndpoints open_session_endpoints(Store& store, const Clock& clock,
                                        const ListenClient& client, bool is_platform,
                                        const ListenQuery& query);

// Disables the endpoints (the session went away). Missing ones are skipped.
void disable_session_endpoints(Store& store, const std::vector<std::string>& endpoint_ids);

// The setting that holds a key's session: "listen_session.<hex hash of the key>".
std::string session_setting_name(const std::string& api_key);

}  // namespace hookline::listen
