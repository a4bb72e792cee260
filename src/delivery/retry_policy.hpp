#pragma once
// When a failed delivery is tried again: the live or test schedule (chosen by
// the event's livemode, as Stripe's: a test event sent to a live Connect
// endpoint is retried on the test schedule), each delay scaled by a random factor in
// [1 - jitter, 1 + jitter]. A pure rule: time and randomness are passed in.
//
// Thread safety: const methods are safe to call concurrently only if the
// random source is; the dispatcher uses one policy from one thread.
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace hookline::delivery {

// Uniform random numbers in [0, 1).
using UniformRandom = std::function<double()>;

// A source seeded from std::random_device (not thread-safe).
UniformRandom default_uniform_random();

class RetryPolicy {
 public:
  // live_ms / test_ms: the delay before retry n is element n-1; an empty
  // schedule means no retry. jitter is clamped to [0, 1].
  RetryPolicy(std::vector<int64_t> live_ms, std::vector<int64_t> test_ms, double jitter,
              UniformRandom random = default_uniform_random());

  // The wait after attempt number `failed_attempt` (1-based) failed, or
  // nullopt when that attempt was the last one (a final failure).
  std::optional<int64_t> next_delay_ms(bool event_livemode, int failed_attempt) const;

  // The time of the next attempt (`failed_at_ms` + the delay), or nullopt.
  std::optional<int64_t> next_attempt_ms(bool event_livemode, int failed_attempt,
                                         int64_t failed_at_ms) const;

  // How many attempts a delivery gets in all (schedule size + 1).
  int max_attempts(bool event_livemode) const;

 private:
  const std::vector<int64_t>& schedule(bool event_livemode) const {
    return event_livemode ? live_ms_ : test_ms_;
  }

  std::vector<int64_t> live_ms_;
  std::vector<int64_t> test_ms_;
  double jitter_;
  UniformRandom random_;
};

}  // namespace hookline::delivery
