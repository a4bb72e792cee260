#pragma once
// What nodes on one database coordinate beyond the queue: which node holds a
// listen session's endpoints (listen_holders, renewed by each node while it
// lives), and locks for work that runs once per cluster (advisory locks).
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace hookline::postgres {

// The database's own clock in unix milliseconds, as SQL: every node judges a
// hold's expiry by the same clock, whatever its own says.
inline constexpr const char* kDatabaseNowMs =
    "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT";

// A node's holds last this long unless renewed; it renews them every
// kHoldRenewMs, so a node that died frees its listen endpoints within
// kHoldMs (its deliveries are then claimed, and fail, as on one node after a
// restart with no session).
inline constexpr int64_t kHoldMs = 15'000;
inline constexpr int64_t kHoldRenewMs = 5'000;

// The clause a claim adds so that deliveries to an endpoint held by another
// live node are left to it: binds one parameter, this node's id. `deliveries`
// is the alias of the deliveries table in the statement.
std::string not_held_elsewhere(const std::string& deliveries);

// Calls `renew` every kHoldRenewMs on a thread of its own until destroyed.
class HoldRenewer {
 public:
  explicit HoldRenewer(std::function<void()> renew);
  ~HoldRenewer();
  HoldRenewer(const HoldRenewer&) = delete;
  HoldRenewer& operator=(const HoldRenewer&) = delete;

 private:
  const std::function<void()> renew_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

// The advisory lock key of a job name: FNV-1a, stable across builds and nodes.
int64_t job_lock_key(const std::string& job);

}  // namespace hookline::postgres
