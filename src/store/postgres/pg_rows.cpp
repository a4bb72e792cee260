#include "store/postgres/pg_rows.hpp"

namespace hookline::postgres {

namespace {

DeliveryState parse_delivery_state(const std::string& text) {
  if (text == "succeeded") return DeliveryState::kSucceeded;
  if (text == "failed") return DeliveryState::kFailed;
  return DeliveryState::kPending;
}

}  // namespace

Account read_account(const Query& result, int row, int first) {
  Account account;
  account.id = result.text(row, first);
  account.type = parse_account_type(result.text(row, first + 1)).value_or(AccountType::kStandard);
  account.platform_controls = result.boolean(row, first + 2);
  account.connected_live = result.boolean(row, first + 3);
  account.connected_test = result.boolean(row, first + 4);
  account.deauthorized = result.boolean(row, first + 5);
  account.created = result.int64(row, first + 6);
  account.object_json = result.text(row, first + 7);
  return account;
}

WebhookEndpoint read_endpoint(const Query& result, int row, int first) {
  WebhookEndpoint endpoint;
  endpoint.id = result.text(row, first);
  endpoint.account_id = result.text(row, first + 1);
  endpoint.connect = result.boolean(row, first + 2);
  endpoint.livemode = result.boolean(row, first + 3);
  endpoint.url = result.text(row, first + 4);
  endpoint.enabled_events = sqlite::enabled_events_from_json(result.text(row, first + 5));
  endpoint.status = result.text(row, first + 6) == "disabled" ? EndpointStatus::kDisabled
                                                               : EndpointStatus::kEnabled;
  endpoint.listen_session = result.boolean(row, first + 7);
  endpoint.api_version = result.text(row, first + 8);
  endpoint.description = result.text(row, first + 9);
  endpoint.metadata_json = result.text(row, first + 10);
  endpoint.secrets = sqlite::secrets_from_json(result.text(row, first + 11));
  endpoint.created = result.int64(row, first + 12);
  endpoint.failing_since_ms = result.int64(row, first + 13);
  return endpoint;
}

StoredEvent read_event(const Query& result, int row, int first) {
  StoredEvent event;
  event.id = result.text(row, first);
  event.account_id = result.text(row, first + 1);
  event.livemode = result.boolean(row, first + 2);
  event.type = result.text(row, first + 3);
  event.created = result.int64(row, first + 4);
  event.body = result.text(row, first + 5);
  event.pending_webhooks = result.integer(row, first + 6);
  return event;
}

Delivery read_delivery(const Query& result, int row, int first) {
  Delivery delivery;
  delivery.id = result.int64(row, first);
  delivery.event_id = result.text(row, first + 1);
  delivery.endpoint_id = result.text(row, first + 2);
  delivery.state = parse_delivery_state(result.text(row, first + 3));
  delivery.manual = result.boolean(row, first + 4);
  delivery.attempt_count = result.integer(row, first + 5);
  delivery.next_attempt_ms = result.int64(row, first + 6);
  delivery.created_ms = result.int64(row, first + 7);
  delivery.last_http_status = result.integer(row, first + 8);
  delivery.last_error = result.text(row, first + 9);
  return delivery;
}

Attempt read_attempt(const Query& result, int row, int first) {
  Attempt attempt;
  attempt.id = result.int64(row, first);
  attempt.delivery_id = result.int64(row, first + 1);
  attempt.event_id = result.text(row, first + 2);
  attempt.endpoint_id = result.text(row, first + 3);
  attempt.at_ms = result.int64(row, first + 4);
  attempt.http_status = result.integer(row, first + 5);
  attempt.error = result.text(row, first + 6);
  attempt.latency_us = result.int64(row, first + 7);
  attempt.response_excerpt = result.blob(row, first + 8);
  attempt.success = result.boolean(row, first + 9);
  return attempt;
}

}  // namespace hookline::postgres
