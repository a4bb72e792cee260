#pragma once
// JSON renderings of the API's own objects, keys in Stripe's order.
#include <string>

#include "core/models.hpp"

namespace hookline::api {

// A webhook_endpoint: id, object, api_version, application, created,
// description, enabled_events, livemode, metadata, [secret], status, url.
// `application`: the platform's "ca_…" for a Connect endpoint (else null).
// `secret` is shown only in the responses that create or roll it.
std::string webhook_endpoint_json(const WebhookEndpoint& endpoint, const std::string& application,
                                  bool with_secret);

// {"id","object","deleted":true}
std::string deleted_json(const std::string& id, const std::string& object);

// A webhook_attempt (hookline's own): id ("wha_<n>"), object, created, error,
// event, http_status, latency_ms, response_body, success, webhook_endpoint.
std::string webhook_attempt_json(const Attempt& attempt);
// The store's cursor for an attempt id: "wha_12" (or "12") -> "12"; "" if malformed.
std::string attempt_cursor(const std::string& attempt_id);

// The event as stored, its pending_webhooks brought up to date.
std::string event_json(const StoredEvent& event);

}  // namespace hookline::api
