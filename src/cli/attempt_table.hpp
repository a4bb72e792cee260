#pragma once
// The delivery log as the CLI shows it: `events attempts`, `endpoints
// attempts` and the result `events resend` waits for. Reads the API's
// webhook_attempt objects (GET /v1/events/{id}/attempts and
// GET /v1/webhook_endpoints/{id}/attempts).
#include <boost/json/value.hpp>
#include <chrono>
#include <optional>
#include <ostream>
#include <string>

#include "cli/api_client.hpp"

namespace hookline::cli {

// Which column names the other side of each attempt: the endpoint when the
// attempts are an event's, the event when they are an endpoint's.
enum class AttemptsOf { kEvent, kEndpoint };

// A table of a list object's attempts, newest first: ID, ENDPOINT or EVENT,
// STATUS (HTTP status, "-" without an answer), RESULT, LATENCY, ERROR, TIME (UTC).
void print_attempts(std::ostream& out, const boost::json::value& list, AttemptsOf of);

// The newest attempt to deliver `event_id` to `endpoint_id`, if any (the first
// 100 of the event's attempts are searched).
std::optional<boost::json::value> newest_attempt(const ApiClient& api, const std::string& event_id,
                                                 const std::string& endpoint_id,
                                                 const std::string& stripe_account);

// Polls until an attempt to deliver `event_id` to `endpoint_id` newer than
// `after_id` ("" for any) is recorded, or `timeout` passes (nullopt).
std::optional<boost::json::value> wait_for_attempt(const ApiClient& api,
                                                   const std::string& event_id,
                                                   const std::string& endpoint_id,
                                                   const std::string& stripe_account,
                                                   const std::string& after_id,
                                                   std::chrono::milliseconds timeout);

}  // namespace hookline::cli
