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

std::optional<double> AttemptFold::success_rate() const {
  if (attempts == 0) return std::nullopt;
  return static_cast<double>(succeeded) / static_cast<double>(attempts);
}

std::optional<double> latency_percentile_ms(std::vector<int64_t> latencies_us, double p) {
  if (latencies_us.empty()) return std::nullopt;
  std::sort(latencies_us.begin(), latencies_us.end());
  const auto rank = static_cast<std::size_t>(
      std::ceil(p / 100.0 * static_cast<double>(latencies_us.size())));
  const std::size_t index = std::clamp<std::size_t>(rank, 1, latencies_us.size()) - 1;
  return static_cast<double>(latencies_us[index]) / 1000.0;
}

AttemptFold fold_attempts(const std::vector<AttemptSample>& samples) {
  AttemptFold fold;
  std::vector<int64_t> latencies;
  for (const AttemptSample& sample : samples) {
    ++fold.attempts;
    if (sample.success) ++fold.succeeded;
    latencies.push_back(sample.latency_us);
  }
  fold.latency_p50_ms = latency_percentile_ms(latencies, 50);
  fold.latency_p95_ms = latency_percentile_ms(std::move(latencies), 95);
  return fold;
}

std::vector<AttemptFold> fold_attempts_by_bucket(const std::vector<AttemptSample>& samples,
                                                 const StatsWindow& window) {
  std::vector<std::vector<AttemptSample>> buckets(static_cast<std::size_t>(window.bucket_count));
  const int64_t since_ms = window.since * 1000;
  const int64_t bucket_ms = window.bucket_seconds * 1000;
  for (const AttemptSample& sample : samples) {
    if (sample.at_ms < since_ms) continue;
    const int64_t bucket = (sample.at_ms - since_ms) / bucket_ms;
    if (bucket < window.bucket_count) buckets[static_cast<std::size_t>(bucket)].push_back(sample);
  }
  std::vector<AttemptFold> folds;
  for (const auto& bucket : buckets) folds.push_back(fold_attempts(bucket));
  return folds;
}

}  // namespace hookline::api
