#pragma once
// WAL checkpoints off the writer's thread. SQLite's automatic checkpoint runs
// inside the commit that crosses the threshold, so the thread that commits
// (the group commit, the dispatcher's outcomes) also copies the WAL back into
// the database. Here a thread of its own, on a connection of its own, does it
// (PASSIVE: it never blocks the writer or the readers). Should it fall behind
// (the WAL past `hard_limit_pages`), the writer checkpoints itself after its
// commit, as SQLite would, so that the WAL stays bounded.
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

class WalCheckpointer {
 public:
  WalCheckpointer(const std::string& path, int threshold_pages, int hard_limit_pages,
                  SpacePressure pressure = {});
  ~WalCheckpointer();  // stops the thread (the last connection to close checkpoints anyway)
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Replaces `writer`'s automatic checkpoint by this one. The destructor
  // removes the hook: destroy this before closing `writer`. REQUIRES: once.
  void attach(sqlite3* writer);

  // Checkpoints run by the thread so far, and those of them in TRUNCATE mode
  // (for tests).
  int64_t checkpoints() const;
  int64_t truncations() const;

 private:
  static int on_commit(void* self, sqlite3* db, const char* name, int pages);
  void run();

  SqliteConnection connection_;  // the checkpointer's own
  const int threshold_pages_;
  const int hard_limit_pages_;
  const SpacePressure pressure_;
  sqlite3* writer_ = nullptr;
  mutable std::mutex mutex_;
  std::condition_variable wanted_;
  bool requested_ = false;   // guarded by mutex_
  bool truncate_ = false;    // guarded by mutex_: the requested one in TRUNCATE mode
  bool stopping_ = false;    // guarded by mutex_
  int64_t checkpoints_ = 0;  // guarded by mutex_
  int64_t truncations_ = 0;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace hookline::sqlite
