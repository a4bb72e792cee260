#pragma once
// WAL checkpoints off the writer's thread. SQLite's automatic checkpoint runs
// inside the commit that crosses the threshold, so the thread that commits
// (the group commit, the dispatcher's outcomes) also copies the WAL back into
// the database. Here a thread of its own, on a connection of its own, does it
// (PASSIVE: it never blocks the writer or the readers). Should it fall behind
// (the WAL past `hard_limit_pages`), the writer checkpoints itself after its
// commit, as SQLite would, so that the WAL stays bounded.
#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite/sqlite_connection.hpp"

namespace hookline::sqlite {

class WalCheckpointer {
 public:
  WalCheckpointer(const std::string& path, int threshold_pages, int hard_limit_pages);
  ~WalCheckpointer();  // stops the thread (the last connection to close checkpoints anyway)
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Replaces `writer`'s automatic checkpoint by this one. The destructor
  // removes the hook: destroy this before closing `writer`. REQUIRES: once.
  void attach(sqlite3* writer);

  // Checkpoints run by the thread so far (for tests).
  int64_t checkpoints() const;

 private:
  static int on_commit(void* self, sqlite3* db, const char* name, int pages);
  void run();

  SqliteConnection connection_;  // the checkpointer's own
  const int threshold_pages_;
  const int hard_limit_pages_;
  sqlite3* writer_ = nullptr;
  mutable std::mutex mutex_;
  std::condition_variable wanted_;
  bool requested_ = false;   // guarded by mutex_
  bool stopping_ = false;    // guarded by mutex_
  int64_t checkpoints_ = 0;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace hookline::sqlite
