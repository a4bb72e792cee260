#pragma once
// TEMPORARY (issue 15, h18g step 1): where a publish's time goes on
// PostgreSQL. Samples per named step, printed (count, mean, p50, p99 in µs)
// to stderr when the process exits. Enabled by HOOKLINE_TRACE_PUBLISH=1.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace hookline::trace {

inline int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct Samples {
  std::mutex mutex;
  std::map<std::string, std::vector<int64_t>> by_step;
  bool enabled = std::getenv("HOOKLINE_TRACE_PUBLISH") != nullptr;
  ~Samples() {
    if (!enabled) return;
    std::lock_guard lock(mutex);
    for (auto& [step, values] : by_step) {
      std::sort(values.begin(), values.end());
      double sum = 0;
      for (int64_t v : values) sum += static_cast<double>(v);
      const auto at = [&](double q) {
        return values[std::min(values.size() - 1, static_cast<std::size_t>(q * values.size()))];
      };
      std::fprintf(stderr, "TRACE %-22s n=%8zu mean=%9.1f p50=%9.1f p90=%9.1f p99=%9.1f us\n",
                   step.c_str(), values.size(), sum / values.size() / 1000.0, at(0.5) / 1000.0,
                   at(0.9) / 1000.0, at(0.99) / 1000.0);
    }
  }
};

inline Samples& samples() {
  static Samples s;
  return s;
}

inline bool enabled() { return samples().enabled; }

inline void record(const char* step, int64_t ns) {
  Samples& s = samples();
  if (!s.enabled) return;
  std::lock_guard lock(s.mutex);
  s.by_step[step].push_back(ns);
}

// Records the time from construction to lap()/destruction.
class Span {
 public:
  explicit Span(const char* step) : step_(step), start_(now_ns()) {}
  ~Span() {
    if (step_ != nullptr) record(step_, now_ns() - start_);
  }
  void lap(const char* next) {
    const int64_t t = now_ns();
    record(step_, t - start_);
    step_ = next;
    start_ = t;
  }
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;

 private:
  const char* step_;
  int64_t start_;
};

}  // namespace hookline::trace
