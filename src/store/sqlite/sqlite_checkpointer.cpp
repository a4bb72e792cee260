#include "store/sqlite/sqlite_checkpointer.hpp"

#include <pthread.h>

#include <utility>

namespace hookline::sqlite {

WalCheckpointer::WalCheckpointer(const std::string& path, int threshold_pages, int hard_limit_pages,
                                 SpacePressure pressure)
    : connection_(path),
      threshold_pages_(threshold_pages),
      hard_limit_pages_(hard_limit_pages),
      pressure_(std::move(pressure)) {
  // A connection that has read nothing yet does not know the database is in
  // WAL mode, and its checkpoints do nothing at all: read once.
  connection_.exec("SELECT COUNT(*) FROM sqlite_schema");
  thread_ = std::thread([this] { run(); });
}

WalCheckpointer::~WalCheckpointer() {
  if (writer_ != nullptr) sqlite3_wal_hook(writer_, nullptr, nullptr);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wanted_.notify_one();
  thread_.join();
}

void WalCheckpointer::attach(sqlite3* writer) {
  writer_ = writer;
  sqlite3_wal_hook(writer, &WalCheckpointer::on_commit, this);
}

int64_t WalCheckpointer::checkpoints() const {
  std::lock_guard lock(mutex_);
  return checkpoints_;
}

int64_t WalCheckpointer::truncations() const {
  std::lock_guard lock(mutex_);
  return truncations_;
}

// On the writer's thread, after each commit, with the WAL's size in pages.
int WalCheckpointer::on_commit(void* self, sqlite3* db, const char* name, int pages) {
  auto* checkpointer = static_cast<WalCheckpointer*>(self);
  const SpacePressure& pressure = checkpointer->pressure_;
  const bool truncate = pages >= pressure.pages && pressure.low_space && pressure.low_space();
  if (truncate) {
    {
      std::lock_guard lock(checkpointer->mutex_);
      checkpointer->requested_ = true;
      checkpointer->truncate_ = true;
    }
    checkpointer->wanted_.notify_one();
  } else if (pages >= checkpointer->hard_limit_pages_) {
    // Fallen behind: what SQLite's own automatic checkpoint would do.
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (pages >= checkpointer->threshold_pages_) {
    bool notify = false;
    {
      std::lock_guard lock(checkpointer->mutex_);
      notify = !checkpointer->requested_;
      checkpointer->requested_ = true;
    }
    if (notify) checkpointer->wanted_.notify_one();
  }
  return SQLITE_OK;
}

void WalCheckpointer::run() {
  pthread_setname_np(pthread_self(), "hl-checkpoint");
  std::unique_lock lock(mutex_);
  for (;;) {
    wanted_.wait(lock, [this] { return requested_ || stopping_; });
    if (stopping_) return;
    requested_ = false;
    const bool truncate = truncate_;
    truncate_ = false;
    lock.unlock();
    // SQLITE_BUSY (another checkpoint running, or readers that stayed past the
    // busy timeout) or an error: the next commit past the threshold asks again.
    if (truncate) {
      connection_.checkpoint_truncate();
    } else {
      connection_.checkpoint_passive();
    }
    lock.lock();
    ++checkpoints_;
    if (truncate) ++truncations_;
  }
}

}  // namespace hookline::sqlite
