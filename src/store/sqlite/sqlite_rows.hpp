#pragma once
// Mapping between model structs and rows: the column lists every query selects
// and the functions that read a row into a model value.
#include <string>
#include <vector>

#include "core/models.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace hookline::sqlite {

// Column lists, in the order the read_* functions expect, starting at `first`.
// `alias` prefixes each column ("w." → "w.id, w.account_id, …").
std::string account_columns(const std::string& alias = "");
std::string endpoint_columns(const std::string& alias = "");
std::string event_columns(const std::string& alias = "");
std::string delivery_columns(const std::string& alias = "");
std::string attempt_columns(const std::string& alias = "");
constexpr int kAccountColumnCount = 8;
constexpr int kEndpointColumnCount = 14;
constexpr int kEventColumnCount = 7;
constexpr int kDeliveryColumnCount = 10;
constexpr int kAttemptColumnCount = 10;
// What event_columns() are selected from: an event's body lives in its own
// table, so that the writes to an events row (pending_webhooks) do not rewrite
// the ~1 KiB body with it. Same in both stores.
inline constexpr const char* kEventsWithBody =
    "events JOIN event_bodies ON event_bodies.event_seq = events.seq";

Account read_account(const Query& row, int first = 0);
WebhookEndpoint read_endpoint(const Query& row, int first = 0);
StoredEvent read_event(const Query& row, int first = 0);
Delivery read_delivery(const Query& row, int first = 0);
Attempt read_attempt(const Query& row, int first = 0);

// JSON text columns of webhook_endpoints.
std::string enabled_events_to_json(const std::vector<std::string>& events);
std::vector<std::string> enabled_events_from_json(const std::string& json);
std::string secrets_to_json(const std::vector<EndpointSecret>& secrets);
std::vector<EndpointSecret> secrets_from_json(const std::string& json);

std::string endpoint_status_text(EndpointStatus status);
std::string delivery_state_text(DeliveryState state);

}  // namespace hookline::sqlite
