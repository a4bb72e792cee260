#pragma once
// A bounded pool of libpq connections, the counterpart of
// sqlite/sqlite_connection_pool.hpp: each call borrows one for its length and
// gives it back. At most `max_size` connections are open at once (a caller
// waits for one to be returned).
//
// Reconnection: a connection found broken (PQstatus, or a failed exec that
// lost it) is dropped when given back, and so are the idle ones opened before
// it (after a database restart they are all dead, and each would otherwise
// fail one more call); the next caller opens a fresh one. While the database
// refuses connections, new ones are tried at most once per backoff interval
// (100 ms doubling to 2 s, reset by a success), and the calls in between fail
// at once with StoreUnavailable: an outage costs neither a hang nor a storm of
// connection attempts, and the pool recovers on its own when the server is back.
#include <chrono>
#include <condition_variable>
#include <cstdint>
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
    Lease(PgConnectionPool& pool, std::unique_ptr<PgConnection> connection, uint64_t generation)
        : pool_(pool), connection_(std::move(connection)), generation_(generation) {}
    ~Lease() { pool_.give_back(std::move(connection_), generation_); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    PgConnection& operator*() { return *connection_; }
    PgConnection* operator->() { return connection_.get(); }

   private:
    PgConnectionPool& pool_;
    std::unique_ptr<PgConnection> connection_;
    uint64_t generation_;  // the pool's generation when it was opened
  };

  // Throws StoreUnavailable if a new connection cannot be opened (or, within
  // the backoff interval after such a failure, without trying).
  Lease acquire();

  static constexpr auto kFirstBackoff = std::chrono::milliseconds(100);
  static constexpr auto kMaxBackoff = std::chrono::milliseconds(2000);

 private:
  struct Idle {
    std::unique_ptr<PgConnection> connection;
    uint64_t generation;
  };
  void give_back(std::unique_ptr<PgConnection> connection, uint64_t generation);
  Lease connect();

  const std::string conninfo_;
  const std::size_t max_size_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<Idle> idle_;  // guarded by mutex_
  std::size_t open_ = 0;    // guarded by mutex_: idle + lent
  // Bumped when a broken connection comes back: older ones are suspect.
  uint64_t generation_ = 0;  // guarded by mutex_
  // After a failed connect: no new attempt before retry_at_.
  std::chrono::steady_clock::time_point retry_at_{};  // guarded by mutex_
  std::chrono::milliseconds backoff_{0};              // guarded by mutex_
  std::string last_failure_;                          // guarded by mutex_
};

}  // namespace hookline::postgres
