#include "delivery/retry_policy.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

namespace hookline::delivery {

UniformRandom default_uniform_random() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

RetryPolicy::RetryPolicy(std::vector<int64_t> live_ms, std::vector<int64_t> test_ms,
                         double jitter, UniformRandom random)
    : live_ms_(std::move(live_ms)),
      test_ms_(std::move(test_ms)),
      jitter_(std::clamp(std::isnan(jitter) ? 0.0 : jitter, 0.0, 1.0)),
      random_(std::move(random)) {}

std::optional<int64_t> RetryPolicy::next_delay_ms(bool event_livemode,
                                                  int failed_attempt) const {
  const std::vector<int64_t>& steps = schedule(event_livemode);
  if (failed_attempt < 1 || static_cast<std::size_t>(failed_attempt) > steps.size()) {
    return std::nullopt;
  }
  const int64_t base = std::max<int64_t>(0, steps[failed_attempt - 1]);
  if (jitter_ == 0.0 || base == 0) return base;
  // A factor in [1 - j, 1 + j]: u in [0, 1) maps to [-1, 1).
  const double u = std::clamp(random_(), 0.0, 1.0);
  const double factor = 1.0 + jitter_ * (2.0 * u - 1.0);
  return std::max<int64_t>(0, std::llround(static_cast<double>(base) * factor));
}

std::optional<int64_t> RetryPolicy::next_attempt_ms(bool event_livemode, int failed_attempt,
                                                    int64_t failed_at_ms) const {
  const std::optional<int64_t> delay = next_delay_ms(event_livemode, failed_attempt);
  if (!delay) return std::nullopt;
  return failed_at_ms + *delay;
}

int RetryPolicy::max_attempts(bool event_livemode) const {
  return static_cast<int>(schedule(event_livemode).size()) + 1;
}

}  // namespace hookline::delivery
