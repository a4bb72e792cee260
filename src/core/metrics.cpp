#include "core/metrics.hpp"

#include <string>

namespace hookline {

std::string_view Metrics::outcome_label(int http_status, std::string_view error) {
  if (http_status >= 200 && http_status < 300) return "2xx";
  if (http_status >= 300 && http_status < 400) return "3xx";
  if (http_status >= 400 && http_status < 500) return "4xx";
  if (http_status >= 500 && http_status < 600) return "5xx";
  if (error == "timeout") return "timeout";
  return "error";
}

void Metrics::record_attempt(int http_status, std::string_view error, int64_t latency_us) {
  const std::string_view label = outcome_label(http_status, error);
  for (std::size_t i = 0; i < kOutcomes.size(); ++i) {
    if (kOutcomes[i] == label) attempts_by_outcome_[i]++;
  }
  const double seconds = static_cast<double>(latency_us) / 1e6;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      latency_buckets_[i]++;
      break;
    }
  }
  latency_count_++;
  latency_sum_us_ += static_cast<uint64_t>(latency_us < 0 ? 0 : latency_us);
}

uint64_t Metrics::attempts() const {
  uint64_t total = 0;
  for (const auto& count : attempts_by_outcome_) total += count.load();
  return total;
}

std::string Metrics::render_prometheus(int64_t pending_deliveries) const {
  std::string out;
  auto line = [&out](std::string_view text) {
    out.append(text);
    out.push_back('\n');
  };
  line("# HELP hookline_events_created_total Events committed.");
  line("# TYPE hookline_events_created_total counter");
  line("hookline_events_created_total " + std::to_string(events_created_.load()));
  line("# HELP hookline_delivery_attempts_total Delivery attempts by outcome.");
  line("# TYPE hookline_delivery_attempts_total counter");
  for (std::size_t i = 0; i < kOutcomes.size(); ++i) {
    line("hookline_delivery_attempts_total{outcome=\"" + std::string(kOutcomes[i]) + "\"} " +
         std::to_string(attempts_by_outcome_[i].load()));
  }
  line("# HELP hookline_deliveries_pending Deliveries still owed an attempt.");
  line("# TYPE hookline_deliveries_pending gauge");
  line("hookline_deliveries_pending " + std::to_string(pending_deliveries));
  const std::optional<uint64_t> data_dir_free_bytes =
      data_dir_free_bytes_ ? data_dir_free_bytes_() : std::nullopt;
  if (data_dir_free_bytes) {
    line("# HELP hookline_data_dir_free_bytes Bytes still free where the data dir lives.");
    line("# TYPE hookline_data_dir_free_bytes gauge");
    line("hookline_data_dir_free_bytes " + std::to_string(*data_dir_free_bytes));
  }
  line("# HELP hookline_endpoints_disabled_total Endpoints disabled after failing too long.");
  line("# TYPE hookline_endpoints_disabled_total counter");
  line("hookline_endpoints_disabled_total " + std::to_string(endpoints_disabled_.load()));
  line("# HELP hookline_delivery_attempt_seconds Latency of delivery attempts.");
  line("# TYPE hookline_delivery_attempt_seconds histogram");
  uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += latency_buckets_[i].load();
    std::string bound = std::to_string(kBuckets[i]);
    bound.erase(bound.find_last_not_of('0') + 1);  // "0.001000" -> "0.001", "30.000000" -> "30."
    if (bound.back() == '.') bound.pop_back();
    line("hookline_delivery_attempt_seconds_bucket{le=\"" + bound + "\"} " +
         std::to_string(cumulative));
  }
  line("hookline_delivery_attempt_seconds_bucket{le=\"+Inf\"} " +
       std::to_string(latency_count_.load()));
  line("hookline_delivery_attempt_seconds_sum " +
       std::to_string(static_cast<double>(latency_sum_us_.load()) / 1e6));
  line("hookline_delivery_attempt_seconds_count " + std::to_string(latency_count_.load()));
  return out;
}

}  // namespace hookline
