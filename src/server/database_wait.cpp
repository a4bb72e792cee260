#include "server/database_wait.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "store/store.hpp"

namespace hookline {

WaitOutcome start_when_database_answers(const std::function<void()>& start, int64_t wait_ms,
                                        const std::string& where,
                                        const std::function<bool(int64_t ms)>& sleep,
                                        const std::function<int64_t()>& now_ms) {
  const int64_t deadline = now_ms() + std::max<int64_t>(0, wait_ms);
  int64_t delay = kFirstDatabaseRetryMs;
  for (int attempt = 1;; ++attempt) {
    try {
      start();
      if (attempt > 1) spdlog::info("database {}: reached after {} tries", where, attempt);
      return WaitOutcome::kStarted;
    } catch (const StoreUnavailable& error) {
      const int64_t left = deadline - now_ms();
      if (left <= 0) throw;
      const int64_t pause = std::min(delay, left);
      spdlog::error(
          "database {} cannot be reached: {}; trying again in {:.1f} s (giving up in "
          "{:.0f} s, see --database-wait)",
          where, error.what(), static_cast<double>(pause) / 1000.0,
          static_cast<double>(left) / 1000.0);
      if (!sleep(pause)) return WaitOutcome::kInterrupted;
      delay = std::min(delay * 2, kMaxDatabaseRetryMs);
    }
  }
}

}  // namespace hookline
