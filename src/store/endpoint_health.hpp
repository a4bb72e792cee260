#pragma once
// What a batch of outcomes says about each endpoint's run of failures: the
// input of auto-disable. Every store folds a batch the same way, with this;
// what it then writes (failing_since_ms, the disable) is each store's SQL.
#include <cstdint>
#include <map>
#include <string>

#include "core/models.hpp"

namespace hookline {

struct EndpointHealth {
  bool succeeded_in_batch = false;  // a success came before the trailing failures
  int64_t failing_since_ms = 0;     // first failure after the last success; 0: none
};

using EndpointHealthByEndpoint = std::map<std::string, EndpointHealth>;

// Folds the attempt that `endpoint_id` just had (attempts in batch order):
// a success starts the run over; the first failure after it starts a run, at
// the attempt's time (`now_ms` when the attempt has none).
void note_attempt(EndpointHealthByEndpoint& health, const std::string& endpoint_id,
                  const Attempt& attempt, int64_t now_ms);

}  // namespace hookline
