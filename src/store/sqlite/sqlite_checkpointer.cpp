#include "store/sqlite/sqlite_checkpointer.hpp"

#include <pthread.h>

#include <algorithm>
#include <utility>

namespace hookline::sqlite {

WalCheckpointer::WalCheckpointer(const std::string& path, int threshold_pages, int hard_limit_pages,
                                 SpacePressure pressure)
    : WalCheckpointer(
          path,
          WalCheckpointLimits{threshold_pages, std::max(1, threshold_pages / 4),
                              threshold_pages + (hard_limit_pages - threshold_pages) / 2,
                              hard_limit_pages},
          std::move(pressure)) {}

WalCheckpointer::WalCheckpointer(const std::string& path, WalCheckpointLimits limits,
                                 SpacePressure pressure)
    : connection_(path), limits_(limits), pressure_(std::move(pressure)) {
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

void WalCheckpointer::attach(sqlite3* writer, std::mutex* writer_lock) {
  writer_ = writer;
  writer_lock_ = writer_lock;
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

int64_t WalCheckpointer::catch_ups() const {
  std::lock_guard lock(mutex_);
  return catch_ups_;
}

void WalCheckpointer::wait_until_idle() const {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return (!requested_ && !running_) || stopping_; });
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
    return SQLITE_OK;
  }
  const WalCheckpointLimits& limits = checkpointer->limits_;
  if (pages >= limits.hard_limit_pages) {
    // Fallen behind: what SQLite's own automatic checkpoint would do.
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
  }
  int& stepped_at = checkpointer->stepped_at_pages_;
  if (pages < stepped_at) stepped_at = 0;  // the WAL started over
  if (pages >= limits.threshold_pages && pages >= stepped_at + limits.step_pages) {
    stepped_at = pages;
    bool notify = false;
    {
      std::lock_guard lock(checkpointer->mutex_);
      notify = !checkpointer->requested_;
      checkpointer->requested_ = true;
      if (pages >= limits.catch_up_pages) checkpointer->catch_up_ = true;
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
    if (stopping_) {
      idle_.notify_all();
      return;
    }
    requested_ = false;
    running_ = true;
    const bool truncate = truncate_;
    const bool catch_up = catch_up_ && !truncate && writer_lock_ != nullptr;
    truncate_ = false;
    catch_up_ = false;
    lock.unlock();
    // SQLITE_BUSY (another checkpoint running, or readers that stayed past the
    // busy timeout) or an error: a later commit asks again (a step further).
    if (truncate) {
      connection_.checkpoint_truncate();
    } else {
      connection_.checkpoint_passive();
    }
    if (catch_up) {
      std::lock_guard hold(*writer_lock_);
      connection_.checkpoint_passive();
    }
    lock.lock();
    running_ = false;
    ++checkpoints_;
    if (truncate) ++truncations_;
    if (catch_up) ++catch_ups_;
    if (!requested_) idle_.notify_all();
  }
}

}  // namespace hookline::sqlite
