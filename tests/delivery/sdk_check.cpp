#include "sdk_check.hpp"

#include <chrono>

#include "hookline/webhook.hpp"

namespace hookline::testing {

namespace {

std::chrono::system_clock::time_point at(int64_t now_ms) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(now_ms));
}

}  // namespace

std::string construct_event_id(const std::string& payload, const std::string& signature_header,
                               const std::string& secret, int64_t now_ms, std::string* why) {
  try {
    return construct_event(payload, signature_header, secret, kDefaultTolerance, at(now_ms)).id();
  } catch (const WebhookError& e) {
    if (why != nullptr) *why = e.what();
    return "";
  }
}

bool signature_verifies(const std::string& payload, const std::string& signature_header,
                        const std::string& secret, int64_t now_ms) {
  try {
    verify_signature(payload, signature_header, secret, kDefaultTolerance, at(now_ms));
    return true;
  } catch (const SignatureVerificationError&) {
    return false;
  }
}

}  // namespace hookline::testing
