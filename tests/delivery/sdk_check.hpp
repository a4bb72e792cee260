#pragma once
// hookline's receiver SDK (include/hookline/webhook.hpp) as the delivery tests
// use it. A separate translation unit: the SDK's hookline::Event and the
// engine's hookline::Event (core/models.hpp) cannot meet in one.
#include <cstdint>
#include <string>

namespace hookline::testing {

// construct_event with the default tolerance at `now_ms`: the event's id, or
// "" when the SDK rejects the request (`why` then says why).
std::string construct_event_id(const std::string& payload, const std::string& signature_header,
                               const std::string& secret, int64_t now_ms,
                               std::string* why = nullptr);

// Only the signature check (verify_signature) at `now_ms`.
bool signature_verifies(const std::string& payload, const std::string& signature_header,
                        const std::string& secret, int64_t now_ms);

}  // namespace hookline::testing
