#pragma once
// Connections for readers: each thread borrows one for the length of a call and
// gives it back; the pool opens a new one when none is idle. In WAL mode
// readers see the last committed state and never wait for the writer.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_connection.hpp"

namespace hookline::sqlite {

class ConnectionPool {
 public:
  // `max_idle`: connections kept open when returned; the others are closed.
  ConnectionPool(std::string path, std::size_t max_idle);

  // A borrowed connection, returned to the pool when destroyed.
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<SqliteConnection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    ~Lease() { pool_.give_back(std::move(connection_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    SqliteConnection& operator*() { return *connection_; }
    SqliteConnection* operator->() { return connection_.get(); }

   private:
    ConnectionPool& pool_;
    std::unique_ptr<SqliteConnection> connection_;
  };

  // Throws StoreError if a new connection cannot be opened.
  Lease acquire();

 private:
  void give_back(std::unique_ptr<SqliteConnection> connection);

  const std::string path_;
  const std::size_t max_idle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;  // guarded by mutex_
};

}  // namespace hookline::sqlite
