#include "store/endpoint_health.hpp"

namespace hookline {

void note_attempt(EndpointHealthByEndpoint& health, const std::string& endpoint_id,
                  const Attempt& attempt, int64_t now_ms) {
  EndpointHealth& endpoint = health[endpoint_id];
  if (attempt.success) {
    endpoint = {true, 0};
  } else if (endpoint.failing_since_ms == 0) {
    endpoint.failing_since_ms = attempt.at_ms > 0 ? attempt.at_ms : now_ms;
  }
}

}  // namespace hookline
