#pragma once
// Periodic work that must happen once per cluster, not once per node
// (retention): each node calls run_cluster_job on its own schedule; the job
// runs where the job's lock (Store::try_lock_job) is free and the last pass,
// by any node, is at least `min_interval_ms` old. On SQLite (one node) the lock
// is always free, so only the interval decides.
#include <cstdint>
#include <functional>
#include <string>

#include "store/store.hpp"

namespace hookline {

// Runs `work` unless another node runs `job` now or ran it less than
// `min_interval_ms` before `now_ms`. Returns whether it ran. The pass is noted
// (setting "cluster_job.<job>.last_ms") after `work` returns; if `work` throws,
// it is not noted and the exception propagates.
bool run_cluster_job(Store& store, const std::string& job, int64_t now_ms, int64_t min_interval_ms,
                     const std::function<void()>& work);

}  // namespace hookline
