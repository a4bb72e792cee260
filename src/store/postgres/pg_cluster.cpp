// PostgresStore: listen session holds and once-per-cluster job locks
// (sqlite/sqlite_cluster.cpp is the one-node counterpart).
#include "store/postgres/pg_cluster.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "core/thread_name.hpp"
#include "store/postgres/pg_store_impl.hpp"

namespace hookline::postgres {

std::string not_held_elsewhere(const std::string& deliveries) {
  return "NOT EXISTS (SELECT 1 FROM listen_holders h WHERE h.endpoint_id = " + deliveries +
         ".endpoint_id AND h.node_id <> ? AND h.alive_until_ms > " + kDatabaseNowMs + ")";
}

HoldRenewer::HoldRenewer(std::function<void()> renew) : renew_(std::move(renew)) {
  thread_ = std::thread([this] {
    name_this_thread("hl-pg-hold");
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::milliseconds(kHoldRenewMs),
                           [this] { return stopping_; })) {
      lock.unlock();
      renew_();
      lock.lock();
    }
  });
}

HoldRenewer::~HoldRenewer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

int64_t job_lock_key(const std::string& job) {
  uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : "hookline job " + job) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return static_cast<int64_t>(hash);
}

void PostgresStore::hold_listen_endpoints(const std::vector<std::string>& endpoint_ids) {
  if (endpoint_ids.empty()) return;
  write(Durability::kNormal, [&](PgConnection& db) {
    for (const std::string& id : endpoint_ids) {
      Query(db, std::string("INSERT INTO listen_holders (endpoint_id, node_id, alive_until_ms) "
                            "VALUES (?, ?, ") +
                    kDatabaseNowMs +
                    " + ?) ON CONFLICT (endpoint_id) DO UPDATE SET "
                    "node_id = excluded.node_id, alive_until_ms = excluded.alive_until_ms")
          .bind(1, id)
          .bind(2, node_id_)
          .bind(3, kHoldMs)
          .run();
    }
  });
}

void PostgresStore::release_listen_endpoints(const std::vector<std::string>& endpoint_ids) {
  if (endpoint_ids.empty()) return;
  write(Durability::kNormal, [&](PgConnection& db) {
    for (const std::string& id : endpoint_ids) {
      Query(db, "DELETE FROM listen_holders WHERE endpoint_id = ? AND node_id = ?")
          .bind(1, id)
          .bind(2, node_id_)
          .run();
    }
  });
}

void PostgresStore::renew_listen_holds() {
  try {
    write(Durability::kNormal, [&](PgConnection& db) {
      Query(db, std::string("UPDATE listen_holders SET alive_until_ms = ") + kDatabaseNowMs +
                    " + ? WHERE node_id = ?")
          .bind(1, kHoldMs)
          .bind(2, node_id_)
          .run();
    });
  } catch (const StoreError& e) {
    spdlog::warn("postgres: cannot renew this node's listen sessions: {}", e.what());
  }
}

namespace {

// A session-level advisory lock on a connection of its own (not the pool's:
// the job itself borrows from the pool while holding it).
class AdvisoryJobLock final : public Store::JobLock {
 public:
  AdvisoryJobLock(std::unique_ptr<PgConnection> connection, int64_t key)
      : connection_(std::move(connection)), key_(key) {}
  ~AdvisoryJobLock() override {
    try {
      if (connection_->healthy()) {
        Query(*connection_, "SELECT pg_advisory_unlock(?)").bind(1, key_).run();
      }
    } catch (const StoreError&) {
      // Closing the connection releases the lock anyway.
    }
  }

 private:
  std::unique_ptr<PgConnection> connection_;
  int64_t key_;
};

}  // namespace

std::unique_ptr<Store::JobLock> PostgresStore::try_lock_job(const std::string& job) {
  auto connection = std::make_unique<PgConnection>(conninfo_);
  const int64_t key = job_lock_key(job);
  Query lock(*connection, "SELECT pg_try_advisory_lock(?)::INTEGER");
  lock.bind(1, key).run();
  if (!lock.boolean(0, 0)) return nullptr;
  return std::make_unique<AdvisoryJobLock>(std::move(connection), key);
}

}  // namespace hookline::postgres
