#pragma once
// The arithmetic of GET /v1/webhook_stats, without the store: the window's
// buckets, and attempts folded into counts and latency percentiles.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace hookline::api {

struct StatsWindow {
  int64_t bucket_seconds = 60;
  int bucket_count = 60;
  int64_t since = 0;  // unix seconds: the first bucket's start; the last one holds `now`
};

// "hour": 60 one-minute buckets; "day": 24 one-hour buckets. nullopt for any other name.
std::optional<StatsWindow> stats_window(std::string_view name, int64_t now);

struct AttemptFold {
  int64_t attempts = 0;
  int64_t succeeded = 0;
  std::optional<double> latency_p50_ms;  // nullopt without attempts
  std::optional<double> latency_p95_ms;
  std::optional<double> success_rate() const;
};

// Nearest-rank percentile (0 < p <= 100) of the samples' latencies in ms.
std::optional<double> latency_percentile_ms(std::vector<int64_t> latencies_us, double p);

AttemptFold fold_attempts(const std::vector<AttemptSample>& samples);

// One fold per bucket of the window; samples outside it are left out.
std::vector<AttemptFold> fold_attempts_by_bucket(const std::vector<AttemptSample>& samples,
                                                 const StatsWindow& window);

}  // namespace hookline::api
