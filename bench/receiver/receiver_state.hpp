#pragma once
// What the benchmark receiver was told to do and what it has seen: request
// counters (in total and per path), the arrival time of each event id, and the
// JSON and text views of them served on /__stats and /__arrivals.
//
// Times are steady_clock nanoseconds (CLOCK_MONOTONIC), the clock the load
// generator uses too, so the two processes' timestamps can be subtracted.
//
// Thread safety: every method may be called from any thread.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bench {

struct ReceiverBehaviour {
  int delay_ms = 0;                          // wait before answering each request
  double fail_rate = 0;                      // fraction of requests answered 500 instead of 200
  std::set<std::string> never_answer_paths;  // requests read, never answered
  bool record_arrivals = false;              // keep (event id, arrival time) of each request
};

int64_t steady_now_ns();

class ReceiverState {
 public:
  explicit ReceiverState(ReceiverBehaviour behaviour);

  const ReceiverBehaviour& behaviour() const { return behaviour_; }

  // Counts a request to `path` that arrived at `arrival_ns` with `body`.
  void record_request(std::string_view path, std::string_view body, int64_t arrival_ns);
  // Draws whether the next answer is a failure (per --fail-rate).
  bool draw_failure();
  void record_answer(bool failed);
  void record_never_answered();

  uint64_t request_count() const { return requests_.load(); }
  std::string stats_json();
  // One line per recorded request: "<event id> <arrival ns>\n".
  std::string arrivals_text();
  void reset();

 private:
  ReceiverBehaviour behaviour_;
  std::atomic<uint64_t> requests_{0};
  std::atomic<uint64_t> answered_ok_{0};
  std::atomic<uint64_t> answered_failed_{0};
  std::atomic<uint64_t> never_answered_{0};
  std::atomic<uint64_t> body_bytes_{0};
  std::atomic<int64_t> first_ns_{0};
  std::atomic<int64_t> last_ns_{0};

  std::mutex mutex_;  // guards the members below
  std::unordered_map<std::string, uint64_t> requests_by_path_;
  std::vector<std::pair<std::string, int64_t>> arrivals_;
  std::minstd_rand random_{std::random_device{}()};
};

}  // namespace bench
