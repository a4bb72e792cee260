// The Stripe-Signature header parser and construct_event. Properties, for a
// random secret, body and timestamp:
//  - any header: construct_event throws only SignatureVerificationError or
//    PayloadError, and accepts only a header holding a genuine v1 signature of
//    a timestamp within the tolerance; parse_header and any_v1 see the same v1s;
//  - the header the signing code makes verifies; one flipped byte in its t/v1
//    part, in the body or in the secret never does, nor a timestamp too old.
#include <fuzzer/FuzzedDataProvider.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "hookline/webhook.hpp"
#include "sdk/signature_header.hpp"
#include "signing/signature.hpp"

namespace {

constexpr std::chrono::seconds kTolerance{300};

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz property violated: %s\n", what);
  std::abort();
}

std::chrono::system_clock::time_point at(int64_t seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

bool is_blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n\f\v") == std::string::npos;
}

// Whether verify_signature accepts; any exception other than the SDK's
// signature error escapes and is reported as a crash.
bool verifies(const std::string& payload, const std::string& header, const std::string& secret,
              int64_t now) {
  try {
    hookline::verify_signature(payload, header, secret, kTolerance, at(now));
    return true;
  } catch (const hookline::SignatureVerificationError&) {
    return false;
  }
}

void check_any_header(const std::string& payload, const std::string& header,
                      const std::string& secret, int64_t now) {
  const hookline::sdk::ParsedHeader parsed = hookline::sdk::parse_header(header);
  std::size_t seen = 0;
  hookline::sdk::any_v1(header, [&](std::string_view v1) {
    if (seen < parsed.kKeptV1 && parsed.v1(seen) != v1) fail("parse_header and any_v1 differ");
    ++seen;
    return false;
  });
  if (seen != parsed.v1_count) fail("parse_header and any_v1 count differently");

  try {
    hookline::construct_event(payload, header, secret, kTolerance, at(now));
  } catch (const hookline::SignatureVerificationError&) {
    return;
  } catch (const hookline::PayloadError&) {
  }
  // Accepted as authentic: it must be.
  if (!parsed.timestamp || now - *parsed.timestamp > kTolerance.count()) fail("bad timestamp");
  const std::string expected =
      hookline::signing::compute_signature(secret, *parsed.timestamp, payload);
  const bool genuine =
      hookline::sdk::any_v1(header, [&](std::string_view v1) { return v1 == expected; });
  if (!genuine || payload.empty() || is_blank(secret)) fail("accepted a forged header");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  const std::string secret = input.ConsumeRandomLengthString(80);
  const std::string payload = input.ConsumeRandomLengthString(2048);
  // Up to 2100: system_clock counts nanoseconds in an int64 (about 292 years).
  const int64_t timestamp = input.ConsumeIntegralInRange<int64_t>(0, 4'102'444'800);
  const int64_t age = input.ConsumeIntegralInRange<int64_t>(0, kTolerance.count());
  const bool fake_v0 = input.ConsumeBool();
  const std::size_t flip_at = input.ConsumeIntegral<std::size_t>();
  const auto flip_with = static_cast<char>(input.ConsumeIntegralInRange<int>(1, 255));
  const std::string any_header = input.ConsumeRemainingBytesAsString();
  const int64_t now = timestamp + age;

  check_any_header(payload, any_header, secret, now);

  if (payload.empty() || is_blank(secret)) return 0;  // never verifies: checked above
  const std::string header =
      hookline::signing::signature_header(timestamp, payload, {secret}, fake_v0);
  if (!verifies(payload, header, secret, now)) fail("a genuine header does not verify");
  if (hookline::generate_test_header(payload, secret, timestamp) !=
      header.substr(0, header.find(",v0="))) {
    fail("generate_test_header differs from the signing code");
  }
  if (verifies(payload, header, secret, timestamp + kTolerance.count() + 1)) {
    fail("a timestamp older than the tolerance verifies");
  }

  std::string flipped = header;
  const std::size_t signed_part = header.find(",v0=");  // v0 verifies nothing anyway
  flipped[flip_at % std::min(signed_part, header.size())] ^= flip_with;
  if (verifies(payload, flipped, secret, now)) fail("a header with a flipped byte verifies");
  flipped = payload;
  flipped[flip_at % payload.size()] ^= flip_with;
  if (verifies(flipped, header, secret, now)) fail("a body with a flipped byte verifies");
  flipped = secret;
  flipped[flip_at % secret.size()] ^= flip_with;
  if (verifies(payload, header, flipped, now)) fail("a secret with a flipped byte verifies");
  return 0;
}
