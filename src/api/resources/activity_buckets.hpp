#pragma once
// The arithmetic of GET /v1/webhook_stats, without the store: the window's
// buckets, and attempts folded into counts and a latency histogram that the
// p50/p95 are read from.
#include <cstdint>
#include <map>
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
  std::map<int64_t, int64_t> attempts_by_latency_class;  // store/latency_class.hpp

  void add(const AttemptHistogramCell& cell);
  std::optional<double> success_rate() const;
  // Nearest-rank percentile (0 < p <= 100) of the latencies, in ms, as the
  // floor of the class that holds it (two significant digits of the µs);
  // nullopt without attempts.
  std::optional<double> latency_percentile_ms(double p) const;
};

}  // namespace hookline::api
