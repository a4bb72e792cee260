#include "store/postgres/pg_connection_pool.hpp"

#include <algorithm>

#include "store/store.hpp"

namespace hookline::postgres {

PgConnectionPool::PgConnectionPool(std::string conninfo, std::size_t max_size)
    : conninfo_(std::move(conninfo)), max_size_(max_size == 0 ? 1 : max_size) {}

PgConnectionPool::Lease PgConnectionPool::acquire() {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [&] { return !idle_.empty() || open_ < max_size_; });
  if (!idle_.empty()) {
    Idle idle = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(idle.connection), idle.generation);
  }
  if (std::chrono::steady_clock::now() < retry_at_) {
    throw StoreUnavailable(last_failure_ + " (retrying shortly)");
  }
  ++open_;  // a slot for the connection opened below, outside the lock
  lock.unlock();
  return connect();
}

PgConnectionPool::Lease PgConnectionPool::connect() {
  try {
    auto connection = std::make_unique<PgConnection>(conninfo_);
    std::lock_guard lock(mutex_);
    backoff_ = std::chrono::milliseconds(0);
    retry_at_ = {};
    return Lease(*this, std::move(connection), generation_);
  } catch (const StoreError& error) {
    std::lock_guard lock(mutex_);
    --open_;
    backoff_ = backoff_.count() == 0
                   ? std::chrono::duration_cast<std::chrono::milliseconds>(kFirstBackoff)
                   : std::min<std::chrono::milliseconds>(backoff_ * 2, kMaxBackoff);
    retry_at_ = std::chrono::steady_clock::now() + backoff_;
    last_failure_ = error.what();
    returned_.notify_one();
    throw;
  } catch (...) {
    std::lock_guard lock(mutex_);
    --open_;
    returned_.notify_one();
    throw;
  }
}

void PgConnectionPool::give_back(std::unique_ptr<PgConnection> connection, uint64_t generation) {
  {
    std::lock_guard lock(mutex_);
    if (connection && connection->healthy() && generation == generation_) {
      idle_.push_back(Idle{std::move(connection), generation});
    } else {
      --open_;  // dropped: the next caller opens a fresh one
      if (connection && !connection->healthy() && generation == generation_) {
        // The first broken one of its generation: the idle ones are as old.
        ++generation_;
        open_ -= idle_.size();
        idle_.clear();
      }
    }
  }
  returned_.notify_all();
}

}  // namespace hookline::postgres
