#include "store/sqlite/sqlite_connection_pool.hpp"

namespace hookline::sqlite {

ConnectionPool::ConnectionPool(std::string path, std::size_t max_idle)
    : path_(std::move(path)), max_idle_(max_idle) {}

ConnectionPool::Lease ConnectionPool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(connection));
    }
  }
  return Lease(*this, std::make_unique<SqliteConnection>(path_));
}

void ConnectionPool::give_back(std::unique_ptr<SqliteConnection> connection) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(connection));
}

}  // namespace hookline::sqlite
