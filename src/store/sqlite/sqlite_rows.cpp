#include "store/sqlite/sqlite_rows.hpp"

#include <boost/json.hpp>
#include <initializer_list>

#include "store/store.hpp"

namespace hookline::sqlite {

namespace json = boost::json;

namespace {

std::string columns(const std::string& alias, std::initializer_list<const char*> names) {
  std::string out;
  for (const char* name : names) {
    if (!out.empty()) out += ", ";
    out += alias;
    out += name;
  }
  return out;
}

json::value parse_column(const std::string& text, const char* what) {
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  if (error) throw StoreError(std::string("sqlite: corrupt ") + what + " column: " + text);
  return value;
}

DeliveryState parse_delivery_state(const std::string& text) {
  if (text == "succeeded") return DeliveryState::kSucceeded;
  if (text == "failed") return DeliveryState::kFailed;
  return DeliveryState::kPending;
}

}  // namespace

std::string account_columns(const std::string& alias) {
  return columns(alias, {"id", "type", "platform_controls", "connected_live", "connected_test",
                         "deauthorized", "created", "object_json"});
}

std::string endpoint_columns(const std::string& alias) {
  return columns(alias, {"id", "account_id", "connect", "livemode", "url", "enabled_events",
                         "status", "listen_session", "api_version", "description", "metadata_json",
                         "secrets", "created", "failing_since_ms"});
}

std::string event_columns(const std::string& alias) {
  return columns(alias,
                 {"id", "account_id", "livemode", "type", "created", "body", "pending_webhooks"});
}

std::string delivery_columns(const std::string& alias) {
  return columns(alias, {"id", "event_id", "endpoint_id", "state", "manual", "attempt_count",
                         "next_attempt_ms", "created_ms", "last_http_status", "last_error"});
}

std::string attempt_columns(const std::string& alias) {
  return columns(alias, {"id", "delivery_id", "event_id", "endpoint_id", "at_ms", "http_status",
                         "error", "latency_us", "response_excerpt", "success"});
}

Account read_account(const Query& row, int first) {
  Account account;
  account.id = row.text(first);
  account.type = parse_account_type(row.text(first + 1)).value_or(AccountType::kStandard);
  account.platform_controls = row.boolean(first + 2);
  account.connected_live = row.boolean(first + 3);
  account.connected_test = row.boolean(first + 4);
  account.deauthorized = row.boolean(first + 5);
  account.created = row.int64(first + 6);
  account.object_json = row.text(first + 7);
  return account;
}

WebhookEndpoint read_endpoint(const Query& row, int first) {
  WebhookEndpoint endpoint;
  endpoint.id = row.text(first);
  endpoint.account_id = row.text(first + 1);
  endpoint.connect = row.boolean(first + 2);
  endpoint.livemode = row.boolean(first + 3);
  endpoint.url = row.text(first + 4);
  endpoint.enabled_events = enabled_events_from_json(row.text(first + 5));
  endpoint.status =
      row.text(first + 6) == "disabled" ? EndpointStatus::kDisabled : EndpointStatus::kEnabled;
  endpoint.listen_session = row.boolean(first + 7);
  endpoint.api_version = row.text(first + 8);
  endpoint.description = row.text(first + 9);
  endpoint.metadata_json = row.text(first + 10);
  endpoint.secrets = secrets_from_json(row.text(first + 11));
  endpoint.created = row.int64(first + 12);
  endpoint.failing_since_ms = row.int64(first + 13);
  return endpoint;
}

StoredEvent read_event(const Query& row, int first) {
  StoredEvent event;
  event.id = row.text(first);
  event.account_id = row.text(first + 1);
  event.livemode = row.boolean(first + 2);
  event.type = row.text(first + 3);
  event.created = row.int64(first + 4);
  event.body = row.text(first + 5);
  event.pending_webhooks = row.integer(first + 6);
  return event;
}

Delivery read_delivery(const Query& row, int first) {
  Delivery delivery;
  delivery.id = row.int64(first);
  delivery.event_id = row.text(first + 1);
  delivery.endpoint_id = row.text(first + 2);
  delivery.state = parse_delivery_state(row.text(first + 3));
  delivery.manual = row.boolean(first + 4);
  delivery.attempt_count = row.integer(first + 5);
  delivery.next_attempt_ms = row.int64(first + 6);
  delivery.created_ms = row.int64(first + 7);
  delivery.last_http_status = row.integer(first + 8);
  delivery.last_error = row.text(first + 9);
  return delivery;
}

Attempt read_attempt(const Query& row, int first) {
  Attempt attempt;
  attempt.id = row.int64(first);
  attempt.delivery_id = row.int64(first + 1);
  attempt.event_id = row.text(first + 2);
  attempt.endpoint_id = row.text(first + 3);
  attempt.at_ms = row.int64(first + 4);
  attempt.http_status = row.integer(first + 5);
  attempt.error = row.text(first + 6);
  attempt.latency_us = row.int64(first + 7);
  attempt.response_excerpt = row.text(first + 8);
  attempt.success = row.boolean(first + 9);
  return attempt;
}

std::string enabled_events_to_json(const std::vector<std::string>& events) {
  json::array array;
  for (const std::string& type : events) array.emplace_back(type);
  return json::serialize(array);
}

std::vector<std::string> enabled_events_from_json(const std::string& text) {
  std::vector<std::string> events;
  const json::value parsed = parse_column(text, "enabled_events");
  if (!parsed.is_array()) throw StoreError("sqlite: corrupt enabled_events column: " + text);
  for (const json::value& item : parsed.get_array()) {
    if (item.is_string()) events.emplace_back(item.get_string());
  }
  return events;
}

std::string secrets_to_json(const std::vector<EndpointSecret>& secrets) {
  json::array array;
  for (const EndpointSecret& secret : secrets) {
    array.emplace_back(
        json::object{{"secret", secret.secret}, {"expires_at_ms", secret.expires_at_ms}});
  }
  return json::serialize(array);
}

std::vector<EndpointSecret> secrets_from_json(const std::string& text) {
  std::vector<EndpointSecret> secrets;
  const json::value parsed = parse_column(text, "secrets");
  try {
    for (const json::value& item : parsed.as_array()) {
      const json::object& object = item.as_object();
      secrets.push_back({std::string(object.at("secret").as_string()),
                         object.at("expires_at_ms").to_number<int64_t>()});
    }
  } catch (const std::exception&) {
    throw StoreError("sqlite: corrupt secrets column: " + text);
  }
  return secrets;
}

std::string endpoint_status_text(EndpointStatus status) {
  return status == EndpointStatus::kDisabled ? "disabled" : "enabled";
}

std::string delivery_state_text(DeliveryState state) { return std::string(to_string(state)); }

}  // namespace hookline::sqlite
