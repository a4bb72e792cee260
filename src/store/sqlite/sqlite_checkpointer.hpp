#pragma once
// WAL checkpoints off the writer's thread. SQLite's automatic checkpoint runs
// inside the commit that crosses the threshold, so the thread that commits
// (the group commit, the dispatcher's outcomes) also copies the WAL back into
// the database. Here a thread of its own, on a connection of its own, does it
// (PASSIVE: it never blocks the writer or the readers). Should it fall behind
// (the WAL past `hard_limit_pages`), the writer checkpoints itself after its
// commit, as SQLite would, so that the WAL stays bounded.
//
// How often: a PASSIVE checkpoint copies what was committed when it started,
// and the WAL starts over (at the next write) only once everything in it was
// copied, so under constant writes a checkpoint almost never leaves the WAL
// empty. Checkpointing again after every commit until one happens to catch up
// costs two fsyncs each time (the WAL's, the database's), flushes that queue
// with the commits' own. So: past `threshold_pages`, one checkpoint per
// `step_pages` of WAL; past `catch_up_pages`, each of those ends with a
// second pass that holds the writer's lock (attach()), so that nothing is
// committed between the copy and the next write and the WAL starts over
// there. That pass copies only what was committed during the first one: it
// holds the writer off for about one small checkpoint, once per catch-up.
//
// Under space pressure (the disk nearly full), the WAL is checkpointed much
// earlier and in TRUNCATE mode, which waits for readers to leave the WAL and
// then cuts the file to zero bytes: a WAL that outgrows the free space would
// fail every write, and a PASSIVE checkpoint never shrinks the file.
#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite/sqlite_connection.hpp"

namespace hookline::sqlite {

// When the WAL holds at least `pages` pages, `low_space()` is asked after each
// commit; true: checkpoint and truncate now. An empty `low_space`: never.
struct SpacePressure {
  int pages = 256;
  std::function<bool()> low_space;
};

// WAL sizes in pages (frames) that decide when to checkpoint; see above.
struct WalCheckpointLimits {
  int threshold_pages;   // the first checkpoint of a WAL
  int step_pages;        // then one per this many more pages
  int catch_up_pages;    // from here, checkpoints end with a pass under the writer's lock
  int hard_limit_pages;  // from here, the writer checkpoints itself after its commit
};

class WalCheckpointer {
 public:
  WalCheckpointer(const std::string& path, WalCheckpointLimits limits, SpacePressure pressure = {});
  // step: a quarter of the threshold; catch-up: halfway to the hard limit.
  WalCheckpointer(const std::string& path, int threshold_pages, int hard_limit_pages,
                  SpacePressure pressure = {});
  ~WalCheckpointer();  // stops the thread (the last connection to close checkpoints anyway)
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Replaces `writer`'s automatic checkpoint by this one. `writer_lock`: the
  // mutex held around each of the writer's transactions (none: no pass under
  // it, the WAL starts over when a checkpoint happens to catch up). The
  // destructor removes the hook: destroy this before closing `writer`.
  // REQUIRES: once; `writer_lock` outlives this.
  void attach(sqlite3* writer, std::mutex* writer_lock = nullptr);

  // Checkpoints run by the thread so far, and those of them in TRUNCATE mode
  // (for tests).
  int64_t checkpoints() const;
  int64_t truncations() const;
  int64_t catch_ups() const;  // checkpoints that ended with a pass under the writer's lock
  // Waits until no checkpoint is asked for or running (for tests).
  void wait_until_idle() const;

 private:
  static int on_commit(void* self, sqlite3* db, const char* name, int pages);
  void run();

  SqliteConnection connection_;  // the checkpointer's own
  const WalCheckpointLimits limits_;
  const SpacePressure pressure_;
  sqlite3* writer_ = nullptr;
  std::mutex* writer_lock_ = nullptr;
  // The WAL's size when the last checkpoint was asked for; 0 once the WAL
  // started over. Used by on_commit only (the writer's thread).
  int stepped_at_pages_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable wanted_;
  mutable std::condition_variable idle_;
  bool requested_ = false;   // guarded by mutex_
  bool running_ = false;     // guarded by mutex_
  bool truncate_ = false;    // guarded by mutex_: the requested one in TRUNCATE mode
  bool catch_up_ = false;    // guarded by mutex_: the requested one past catch_up_pages
  bool stopping_ = false;    // guarded by mutex_
  int64_t checkpoints_ = 0;  // guarded by mutex_
  int64_t truncations_ = 0;  // guarded by mutex_
  int64_t catch_ups_ = 0;    // guarded by mutex_
  std::thread thread_;
};

}  // namespace hookline::sqlite
