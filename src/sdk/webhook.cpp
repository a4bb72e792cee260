// Signature verification, as stripe-node's Webhook.signature.verifyHeader, in the
// same order of checks (so the same input fails with the same reason).
#include "hookline/webhook.hpp"

#include <stdexcept>
#include <string>

#include "sdk/signature_header.hpp"
#include "signing/hmac_sha256.hpp"
#include "signing/signature.hpp"

namespace hookline {
namespace {

// The official SDKs' messages (stripe-node, stripe-python).
constexpr std::string_view kNoPayload = "No webhook payload was provided.";
constexpr std::string_view kNoHeader = "No stripe-signature header value was provided.";
constexpr std::string_view kUnparsableHeader =
    "Unable to extract timestamp and signatures from header";
constexpr std::string_view kNoV1 = "No signatures found with expected scheme v1 for payload";
constexpr std::string_view kNoSecret =
    "No webhook secret value was provided. It should start with `whsec_`";
constexpr std::string_view kNoMatch =
    "No signatures found matching the expected signature for payload. Are you passing the raw "
    "request body you received? If the request is forwarded by a third-party tool, make sure "
    "the exact request body, including JSON formatting and new line style, is preserved.";
constexpr std::string_view kSecretHasWhitespace =
    " Note: the signing secret contains whitespace, which often means an extra newline or "
    "space is in the value.";
constexpr std::string_view kTooOld = "Timestamp outside the tolerance zone";

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

bool is_blank(std::string_view s) {
  for (char c : s) {
    if (!is_space(c)) return false;
  }
  return true;
}

bool has_space(std::string_view s) {
  for (char c : s) {
    if (is_space(c)) return true;
  }
  return false;
}

[[noreturn]] void reject(std::string_view message, std::string_view header) {
  throw SignatureVerificationError(std::string(message), header);
}

signing::Digest expected_digest(std::string_view secret, int64_t timestamp,
                                std::string_view payload, std::string_view header) {
  try {
    return signing::hmac_signed_payload(secret, timestamp, payload);
  } catch (const std::runtime_error& e) {  // OpenSSL failed: nothing was verified.
    reject(std::string("Unable to compute the expected signature: ") + e.what(), header);
  }
}

}  // namespace

void verify_signature(std::string_view payload, std::string_view header, std::string_view secret,
                      std::chrono::seconds tolerance, std::chrono::system_clock::time_point now) {
  if (payload.empty()) reject(kNoPayload, header);
  if (header.empty()) reject(kNoHeader, header);
  const sdk::ParsedHeader parsed = sdk::parse_header(header);
  if (!parsed.timestamp) reject(kUnparsableHeader, header);
  if (parsed.v1_count == 0) reject(kNoV1, header);
  if (is_blank(secret)) reject(kNoSecret, header);

  // Compute the HMAC once, hex-encode it once, and compare it with each
  // candidate in constant time (a candidate that is not exactly 64 lowercase
  // hex characters cannot match, as in the official SDKs).
  const signing::HexDigest expected =
      signing::hex_chars(expected_digest(secret, *parsed.timestamp, payload, header));
  const auto matches = [&expected](std::string_view candidate) {
    return signing::constant_time_equals(candidate,
                                         std::string_view(expected.data(), expected.size()));
  };
  bool matched = false;
  if (parsed.v1_count <= sdk::ParsedHeader::kKeptV1) {
    for (std::size_t i = 0; i < parsed.v1_count; ++i) matched |= matches(parsed.v1(i));
  } else {
    matched = sdk::any_v1(header, matches);
  }
  if (!matched) {
    std::string message(kNoMatch);
    if (has_space(secret)) message += kSecretHasWhitespace;
    reject(message, header);
  }

  const int64_t now_s = std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count();
  if (tolerance.count() > 0 && now_s - *parsed.timestamp > tolerance.count()) {
    reject(std::string(kTooOld) + " (t=" + std::to_string(*parsed.timestamp) + ", now=" +
               std::to_string(now_s) + ", tolerance=" + std::to_string(tolerance.count()) + "s)",
           header);
  }
}

void verify_signature(std::string_view payload, std::string_view header, std::string_view secret,
                      std::chrono::seconds tolerance) {
  verify_signature(payload, header, secret, tolerance, std::chrono::system_clock::now());
}

Event construct_event(std::string_view payload, std::string_view header, std::string_view secret,
                      std::chrono::seconds tolerance, std::chrono::system_clock::time_point now) {
  verify_signature(payload, header, secret, tolerance, now);
  return parse_event(payload);
}

Event construct_event(std::string_view payload, std::string_view header, std::string_view secret,
                      std::chrono::seconds tolerance) {
  return construct_event(payload, header, secret, tolerance, std::chrono::system_clock::now());
}

std::string generate_test_header(std::string_view payload, std::string_view secret,
                                 std::int64_t timestamp, std::string_view scheme) {
  std::string header = "t=" + std::to_string(timestamp);
  header += ',';
  header += scheme;
  header += '=';
  header += signing::to_hex(signing::hmac_signed_payload(secret, timestamp, payload));
  return header;
}

}  // namespace hookline
