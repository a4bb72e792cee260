#pragma once
// The leases of claimed SQLite deliveries, kept in memory instead of in the
// deliveries rows.
//
// A lease written into the row (next_attempt_ms = lease end) rewrote each
// claimed row and moved its deliveries_due entry, and the outcome rewrote the
// same pages again moments later: the claim's commit was most of the claim
// thread's cost. SQLite is single-node (one server per data directory,
// server/data_dir_lock.hpp), so a lease only has to hold within this process:
// every SqliteStore on the same database file shares one table (for_database),
// and a claim reads and takes leases under SQLite's write lock, so that two
// stores on one file never hold a delivery at once. When the process dies its
// leases die with it: what it had claimed and not settled is due again at the
// next start, at the time the row says (at-least-once).
//
// A leased delivery's effective next attempt is max(row's next_attempt_ms,
// lease end); the lease ends at its end time or when its outcome is written.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace hookline::sqlite {

class DeliveryLeases {
 public:
  // The table of the database at `path`, shared by every store of this process
  // on that file (the same file under another path name too).
  static std::shared_ptr<DeliveryLeases> for_database(const std::string& path);

  // Leases `ids` until `until_ms`; first forgets every lease ended by `now_ms`.
  void hold(const std::vector<int64_t>& ids, int64_t now_ms, int64_t until_ms);
  // Ends the leases of `ids` (their outcomes are committed).
  void release(const std::vector<int64_t>& ids);
  // The end of the delivery's lease, if it has one (ended or not).
  std::optional<int64_t> end_of(int64_t id) const;
  // True while the delivery's lease holds at `now_ms`.
  bool held(int64_t id, int64_t now_ms) const;
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<int64_t, int64_t> until_by_id_;  // guarded by mutex_
};

}  // namespace hookline::sqlite
