#pragma once
// A bounded pool of libpq connections, the counterpart of
// sqlite/sqlite_connection_pool.hpp: each call borrows one for its length and
// gives it back. At most `max_size` connections are open at once (a caller
// waits for one to be returned); a connection found broken is dropped and the
// next caller opens a fresh one, so the store reconnects on its own after the
// server comes back.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/postgres/pg_connection.hpp"

namespace hookline::postgres {

class PgConnectionPool {
 public:
  PgConnectionPool(std::string conninfo, std::size_t max_size);

  class Lease {
   public:
    Lease(PgConnectionPool& pool, std::unique_ptr<PgConnection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    ~Lease() { pool_.give_back(std::move(connection_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    PgConnection& operator*() { return *connection_; }
    PgConnection* operator->() { return connection_.get(); }

   private:
    PgConnectionPool& pool_;
    std::unique_ptr<PgConnection> connection_;
  };

  // Throws StoreUnavailable if a new connection cannot be opened.
  Lease acquire();

 private:
  void give_back(std::unique_ptr<PgConnection> connection);

  const std::string conninfo_;
  const std::size_t max_size_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // guarded by mutex_
  std::size_t open_ = 0;                             // guarded by mutex_: idle + lent
};

}  // namespace hookline::postgres
