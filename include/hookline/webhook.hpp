#pragma once
// hookline receiver SDK: verify the Stripe-Signature header of a webhook request
// and parse its event, as the official Stripe SDKs' `constructEvent` does.
//
//   Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>[,v1=…][,v0=…]
//
// The HMAC key is the endpoint's whole secret string, "whsec_" prefix included.
// A request is authentic when any `v1` signature matches (an endpoint whose
// secret is being rolled gets one `v1` per active secret). Other schemes (`v0`)
// are ignored: a header without a `v1` never verifies. Signatures are compared
// in constant time.
//
// Link with the CMake target `hookline::sdk`. Thread-safe: every function may be
// called from any number of threads at once.
#include <boost/json/fwd.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace hookline {

// How old a signature's timestamp may be, as in the official SDKs.
inline constexpr std::chrono::seconds kDefaultTolerance{300};

// Base of every error construct_event throws: a receiver that answers 400 to
// any rejected request catches this one type.
class WebhookError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The request is not authentic: header missing or malformed, no `v1`
// signature, no signature matching the secret, or timestamp too old.
class SignatureVerificationError : public WebhookError {
 public:
  SignatureVerificationError(const std::string& message, std::string_view signature_header)
      : WebhookError(message), header_(signature_header) {}
  // The Stripe-Signature header value that failed.
  const std::string& header() const noexcept { return header_; }

 private:
  std::string header_;
};

// The request is authentic, but its body is not an event: not JSON, not a JSON
// object, or a field of an event is missing or has the wrong type.
class PayloadError : public WebhookError {
 public:
  using WebhookError::WebhookError;
};

// A verified, parsed event. Cheap to copy (the parsed document is shared and
// immutable). References returned by accessors live as long as any copy of the
// Event.
class Event {
 public:
  const std::string& id() const;    // "evt_…"
  const std::string& type() const;  // e.g. "payment_intent.succeeded"
  // The connected account the event happened on; empty for events of the
  // platform's own account.
  const std::optional<std::string>& account() const;
  bool livemode() const;
  std::int64_t created() const;  // unix seconds
  // The API version the payload was rendered with; empty if the event has none (null).
  const std::string& api_version() const;
  // data.object: the object the event is about.
  const boost::json::object& data_object() const;
  // data.previous_attributes (for *.updated events); nullptr when absent or null.
  const boost::json::object* previous_attributes() const;
  // The whole event, parsed.
  const boost::json::object& json() const;
  // The request body exactly as received.
  const std::string& raw() const;

  struct Data;  // implementation detail

 private:
  explicit Event(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  friend Event parse_event(std::string_view payload);
  std::shared_ptr<const Data> data_;
};

// Verifies `signature_header` against `payload` and `secret`, then parses the
// payload. Returns the event, or throws SignatureVerificationError (checked
// first) or PayloadError — never another exception type, whatever the input
// (except std::bad_alloc when out of memory).
// `payload` must be the raw request body, byte for byte. A timestamp older than
// `tolerance` is rejected; a tolerance of zero or less turns that check off.
// Timestamps in the future are accepted, as by the official SDKs.
Event construct_event(std::string_view payload, std::string_view signature_header,
                      std::string_view secret, std::chrono::seconds tolerance = kDefaultTolerance);
// The same, with the current time given (tests, replays).
Event construct_event(std::string_view payload, std::string_view signature_header,
                      std::string_view secret, std::chrono::seconds tolerance,
                      std::chrono::system_clock::time_point now);

// Only the signature check of construct_event: returns normally when authentic,
// else throws SignatureVerificationError.
void verify_signature(std::string_view payload, std::string_view signature_header,
                      std::string_view secret, std::chrono::seconds tolerance = kDefaultTolerance);
void verify_signature(std::string_view payload, std::string_view signature_header,
                      std::string_view secret, std::chrono::seconds tolerance,
                      std::chrono::system_clock::time_point now);

// Only the parsing of construct_event, WITHOUT any authenticity check: for
// events read from a trusted place (a file, a queue). Throws PayloadError.
Event parse_event(std::string_view payload);

// A Stripe-Signature header value for tests: "t=<timestamp>,<scheme>=<hex HMAC>",
// as stripe-node's `generateTestHeaderString`. With scheme "v1" it verifies with
// construct_event (and with the official SDKs).
std::string generate_test_header(std::string_view payload, std::string_view secret,
                                 std::int64_t timestamp, std::string_view scheme = "v1");

}  // namespace hookline
