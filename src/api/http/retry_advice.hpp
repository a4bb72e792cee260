#pragma once
// The Stripe-Should-Retry header, which the official SDKs obey before their
// own rules: "true" where a retry may succeed (a 409 while the same
// idempotency key is in flight, a 429 rate limit, a 5xx), "false" where it
// cannot (any other 4xx: the request itself is wrong), none on success.
#include <optional>
#include <string_view>

namespace hookline::api {

std::optional<std::string_view> stripe_should_retry(int status);

}  // namespace hookline::api
