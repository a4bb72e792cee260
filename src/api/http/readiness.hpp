#pragma once
// GET /readyz: whether this server can serve, which is whether its store
// answers a read and commits a write (GET /healthz only says the process is
// alive). A load balancer sends traffic by this one.
//
// The probe writes and syncs, so it runs at most once per interval; callers in
// between get the last answer. Thread-safe.
#include <cstdint>
#include <mutex>
#include <string>

#include "api/api_call.hpp"
#include "core/clock.hpp"
#include "store/store.hpp"

namespace hookline::api {

class Readiness {
 public:
  static constexpr int64_t kDefaultIntervalMs = 1000;

  Readiness(Store& store, Clock& clock, int64_t interval_ms = kDefaultIntervalMs);

  // 200 {"status":"ready"}, or 503 {"status":"unavailable","reason":"…"}.
  ApiResponse check();

 private:
  Store& store_;
  Clock& clock_;
  const int64_t interval_ms_;
  std::mutex mutex_;          // held while probing: concurrent callers wait for its answer
  bool probed_ = false;       // guarded by mutex_
  int64_t probed_at_ms_ = 0;  // guarded by mutex_
  std::string failure_;       // guarded by mutex_; empty: ready
};

}  // namespace hookline::api
