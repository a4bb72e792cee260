#pragma once
// The body an endpoint receives. Stripe generates the events it sends an
// endpoint with that endpoint's API version, and typed receivers (stripe-go's
// ConstructEvent) refuse an event of another version; hookline does not
// transform the data object between versions, so the body differs from the
// stored one only in its top-level api_version. The stored body (what the API
// lists and retrieves) keeps the platform's version.
#include <string>
#include <string_view>

namespace hookline::delivery {

// `stored_body` with its top-level api_version set to `endpoint_api_version`;
// unchanged when that is empty (the endpoint has no pinned version) or equal.
// REQUIRES: `stored_body` as render_event_body writes it: api_version is the
// first "api_version" key, after id, object and account (ids, never quoted text).
std::string body_for_endpoint(std::string stored_body, std::string_view endpoint_api_version);

}  // namespace hookline::delivery
