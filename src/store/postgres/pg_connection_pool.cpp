#include "store/postgres/pg_connection_pool.hpp"

namespace hookline::postgres {

PgConnectionPool::PgConnectionPool(std::string conninfo, std::size_t max_size)
    : conninfo_(std::move(conninfo)), max_size_(max_size == 0 ? 1 : max_size) {}

PgConnectionPool::Lease PgConnectionPool::acquire() {
  {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [&] { return !idle_.empty() || open_ < max_size_; });
    if (!idle_.empty()) {
      std::unique_ptr<PgConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(connection));
    }
    ++open_;  // a slot for the connection opened below, outside the lock
  }
  try {
    return Lease(*this, std::make_unique<PgConnection>(conninfo_));
  } catch (...) {
    std::lock_guard lock(mutex_);
    --open_;
    returned_.notify_one();
    throw;
  }
}

void PgConnectionPool::give_back(std::unique_ptr<PgConnection> connection) {
  {
    std::lock_guard lock(mutex_);
    if (connection && connection->healthy()) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;  // dropped: the next caller opens a fresh one
    }
  }
  returned_.notify_one();
}

}  // namespace hookline::postgres
