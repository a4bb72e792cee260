#pragma once
// Process-wide counters for GET /metrics (Prometheus text format). Lock-free:
// the dispatcher and the API record from any thread.
#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/disk_space.hpp"

namespace hookline {

class Metrics {
 public:
  // An attempt's outcome label: "2xx", "3xx", "4xx", "5xx", "timeout", "error".
  static std::string_view outcome_label(int http_status, std::string_view error);

  void record_events_created(uint64_t count) { events_created_ += count; }
  void record_attempt(int http_status, std::string_view error, int64_t latency_us);
  void record_endpoints_disabled(uint64_t count) { endpoints_disabled_ += count; }

  uint64_t events_created() const { return events_created_.load(); }
  uint64_t attempts() const;

  // Where render_prometheus reads the free space of the data dir from (none:
  // not reported). REQUIRES: before the first render, from one thread.
  void report_free_space(FreeSpaceProbe data_dir_free_bytes) {
    data_dir_free_bytes_ = std::move(data_dir_free_bytes);
  }

  // `pending_deliveries` is read by the caller, from the store (which keeps
  // it in memory).
  std::string render_prometheus(int64_t pending_deliveries) const;

 private:
  static constexpr std::array<std::string_view, 6> kOutcomes = {"2xx", "3xx",     "4xx",
                                                                "5xx", "timeout", "error"};
  // Upper bounds of the latency histogram, in seconds.
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.5,    1.0,   5.0,  30.0};

  std::atomic<uint64_t> events_created_{0};
  std::atomic<uint64_t> endpoints_disabled_{0};
  std::array<std::atomic<uint64_t>, kOutcomes.size()> attempts_by_outcome_{};
  std::array<std::atomic<uint64_t>, kBuckets.size()> latency_buckets_{};  // non-cumulative
  std::atomic<uint64_t> latency_count_{0};
  std::atomic<uint64_t> latency_sum_us_{0};
  FreeSpaceProbe data_dir_free_bytes_;
};

}  // namespace hookline
