#include "store/cluster_job.hpp"

#include <charconv>

namespace hookline {

bool run_cluster_job(Store& store, const std::string& job, int64_t now_ms, int64_t min_interval_ms,
                     const std::function<void()>& work) {
  const std::unique_ptr<Store::JobLock> lock = store.try_lock_job(job);
  if (!lock) return false;
  // Under the lock: the pass of a node that held it just before is seen here.
  const std::string setting = "cluster_job." + job + ".last_ms";
  if (const std::optional<std::string> last = store.get_setting(setting)) {
    int64_t last_ms = 0;
    const std::from_chars_result read =
        std::from_chars(last->data(), last->data() + last->size(), last_ms);
    if (read.ec == std::errc() && now_ms - last_ms < min_interval_ms && now_ms >= last_ms) {
      return false;
    }
  }
  work();
  store.put_setting(setting, std::to_string(now_ms));
  return true;
}

}  // namespace hookline
