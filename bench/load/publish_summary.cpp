#include "publish_summary.hpp"

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace bench {

namespace {

double percentile_ms(std::vector<int64_t>& sorted_ns, double p) {
  if (sorted_ns.empty()) return 0;
  const auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted_ns.size() - 1));
  return static_cast<double>(sorted_ns[rank]) / 1e6;
}

}  // namespace

std::string publish_summary_json(const PublishRun& run, const PublishOptions& options,
                                 int64_t end_ns) {
  int64_t acked = 0;
  int64_t transport_errors = 0;
  int64_t first_send = 0;
  int64_t last_ack = 0;
  boost::json::object by_status;
  std::vector<int64_t> ack_latency_ns;
  for (const PublishedEvent& e : run.records()) {
    if (e.status == 0) {
      ++transport_errors;
      continue;
    }
    auto& count = by_status[std::to_string(e.status)];
    count = (count.is_int64() ? count.as_int64() : 0) + 1;
    if (e.status != 200) continue;
    ++acked;
    ack_latency_ns.push_back(e.ack_ns - e.send_ns);
    if (first_send == 0 || e.send_ns < first_send) first_send = e.send_ns;
    last_ack = std::max(last_ack, e.ack_ns);
  }
  std::sort(ack_latency_ns.begin(), ack_latency_ns.end());
  const double seconds = static_cast<double>(end_ns - run.start_ns()) / 1e9;

  boost::json::object summary;
  summary["sent"] = run.records().size();
  summary["acked"] = acked;
  summary["transport_errors"] = transport_errors;
  summary["by_status"] = std::move(by_status);
  summary["connections"] = options.connections;
  summary["target_rate"] = options.rate;
  summary["start_ns"] = run.start_ns();
  summary["end_ns"] = end_ns;
  summary["first_send_ns"] = first_send;
  summary["last_ack_ns"] = last_ack;
  summary["seconds"] = seconds;
  summary["acked_per_s"] = seconds > 0 ? static_cast<double>(acked) / seconds : 0.0;
  summary["ack_latency_ms"] = {{"p50", percentile_ms(ack_latency_ns, 50)},
                               {"p90", percentile_ms(ack_latency_ns, 90)},
                               {"p99", percentile_ms(ack_latency_ns, 99)},
                               {"max", percentile_ms(ack_latency_ns, 100)}};
  boost::json::object errors;
  for (const auto& [status, body] : run.first_error_bodies()) errors[std::to_string(status)] = body;
  summary["first_error_bodies"] = std::move(errors);
  return boost::json::serialize(summary);
}

void write_events_file(const PublishRun& run, const std::string& path) {
  std::ofstream out(path);
  if (!out) throw std::runtime_error("cannot write " + path);
  for (const PublishedEvent& e : run.records()) {
    out << (e.event_id.empty() ? "-" : e.event_id) << ' ' << e.send_ns << ' ' << e.ack_ns << ' '
        << e.status << '\n';
  }
}

}  // namespace bench
