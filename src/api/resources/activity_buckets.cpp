#include "api/resources/activity_buckets.hpp"

#include <algorithm>
#include <cmath>

namespace hookline::api {

std::optional<StatsWindow> stats_window(std::string_view name, int64_t now) {
  StatsWindow window;
  if (name == "hour") {
    window = {60, 60, 0};
  } else if (name == "day") {
    window = {3600, 24, 0};
  } else {
    return std::nullopt;
  }
  const int64_t current = now - now % window.bucket_seconds;
  window.since = current - window.bucket_seconds * (window.bucket_count - 1);
  return window;
}

void AttemptFold::add(const AttemptHistogramCell& cell) {
  attempts += cell.attempts;
  succeeded += cell.succeeded;
  attempts_by_latency_class[cell.latency_class] += cell.attempts;
}

std::optional<double> AttemptFold::success_rate() const {
  if (attempts == 0) return std::nullopt;
  return static_cast<double>(succeeded) / static_cast<double>(attempts);
}

std::optional<double> AttemptFold::latency_percentile_ms(double p) const {
  if (attempts == 0) return std::nullopt;
  const auto rank = std::clamp<int64_t>(
      static_cast<int64_t>(std::ceil(p / 100.0 * static_cast<double>(attempts))), 1, attempts);
  int64_t seen = 0;
  for (const auto& [latency_class, count] : attempts_by_latency_class) {
    seen += count;
    if (seen >= rank) return static_cast<double>(latency_class) / 1000.0;
  }
  return std::nullopt;  // unreachable while attempts equals the classes' sum
}

}  // namespace hookline::api
