#pragma once
// The Stripe webhook signature scheme, as pure functions (no I/O, no clock).
//   Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>[,v1=…][,v0=…]
// The HMAC key is the endpoint's whole secret string, "whsec_" prefix included.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hookline::signing {

// Lowercase hex HMAC-SHA256 of "<timestamp>.<payload>" keyed with `secret`.
std::string compute_signature(std::string_view secret, int64_t timestamp, std::string_view payload);

// The full header value: "t=<timestamp>", then one "v1=" per secret (in the
// order given), then, if `include_fake_v0`, a "v0=" that verifies nothing (as
// Stripe adds to test-mode events).
std::string signature_header(int64_t timestamp, std::string_view payload,
                             const std::vector<std::string>& secrets, bool include_fake_v0);

// The same header value, rendered into `out` (replacing what it held): no
// allocation once `out` has the room, for a sender that reuses one buffer.
void render_signature_header(std::string& out, int64_t timestamp, std::string_view payload,
                             std::span<const std::string_view> secrets, bool include_fake_v0);

// Constant-time equality of two byte strings (length is not secret).
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace hookline::signing
