#pragma once
// The SQLite implementation of Store (private to store/sqlite/).
//
// Connections: one writer connection, used under write_mutex_, so writes are
// serialized in-process (SQLite allows one writer at a time anyway, and this
// avoids its sleeping busy handler); a pool of reader connections, so reads run
// in parallel with each other and with the writer (WAL).
//
// The leases of claimed deliveries are kept in memory (sqlite_leases.hpp).
//
// The number of pending deliveries is kept in memory: counted once at open,
// then moved by the writes that change it, after they commit.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>

#include "store/endpoint_health.hpp"
#include "store/sqlite/sqlite_checkpointer.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_connection_pool.hpp"
#include "store/sqlite/sqlite_leases.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/store.hpp"

namespace hookline::sqlite {

class SqliteStore final : public Store {
 public:
  using Store::claim_due;
  SqliteStore(const std::string& path, SqliteStoreOptions options);

  std::optional<std::string> get_setting(const std::string& name) override;
  void put_setting(const std::string& name, const std::string& value) override;
  std::string put_setting_if_absent(const std::string& name, const std::string& value) override;

  void put_account(const Account& account) override;
  std::optional<Account> get_account(const std::string& id) override;
  Page<Account> list_accounts(const PageRequest& page) override;
  bool delete_account(const std::string& id) override;

  void put_endpoint(const WebhookEndpoint& endpoint) override;
  std::optional<WebhookEndpoint> get_endpoint(const std::string& id) override;
  Page<WebhookEndpoint> list_endpoints(const std::string& account_id, std::optional<bool> livemode,
                                       const PageRequest& page) override;
  bool delete_endpoint(const std::string& id) override;
  std::vector<WebhookEndpoint> routing_candidates(const std::string& account_id) override;

  std::vector<int64_t> insert_events(const std::vector<NewEvent>& events) override;
  std::optional<StoredEvent> get_event(const std::string& id) override;
  Page<StoredEvent> list_events(const EventFilter& filter, const PageRequest& page) override;
  int64_t add_manual_delivery(const std::string& event_id, const std::string& endpoint_id,
                              int64_t due_ms) override;
  std::vector<Delivery> list_deliveries(const std::string& event_id) override;

  std::vector<DueDelivery> claim_due(int64_t now_ms, int64_t lease_until_ms, std::size_t limit,
                                     std::size_t per_endpoint) override;
  std::optional<int64_t> next_due_ms() override;
  std::vector<std::string> record_outcomes(const std::vector<DeliveryOutcome>& outcomes,
                                           int64_t now_ms, int64_t disable_after_ms) override;
  int64_t count_pending_deliveries() override;

  Page<Attempt> list_attempts_for_event(const std::string& event_id,
                                        const PageRequest& page) override;
  Page<Attempt> list_attempts_for_endpoint(const std::string& endpoint_id,
                                           const PageRequest& page,
                                           const std::vector<std::string>& types) override;
  EventActivity event_activity(const EventActivityQuery& query) override;
  std::vector<AttemptHistogramCell> attempt_histogram(const std::string& endpoint_id,
                                                      int64_t since_ms, int64_t bucket_ms,
                                                      int bucket_count) override;

  std::optional<StoredObject> get_object(const std::string& object_id) override;

  std::optional<IdempotentResponse> get_idempotent(const std::string& scope,
                                                   const std::string& key) override;
  bool put_idempotent(const std::string& scope, const std::string& key,
                      const IdempotentResponse& response) override;
  bool reserve_idempotent(const std::string& scope, const std::string& key,
                          const std::string& request_hash, int64_t now_ms,
                          int64_t stale_before_ms) override;
  void release_idempotent(const std::string& scope, const std::string& key) override;

  bool shared_by_nodes() const override { return false; }
  std::optional<uint64_t> routing_generation() override {
    return routing_generation_.load(std::memory_order_acquire);
  }
  void hold_listen_endpoints(const std::vector<std::string>& endpoint_ids) override;
  void release_listen_endpoints(const std::vector<std::string>& endpoint_ids) override;
  std::unique_ptr<JobLock> try_lock_job(const std::string& job) override;

  int64_t prune(int64_t created_before, int64_t idempotency_before_ms) override;

  void probe() override;

 private:
  // put_idempotent's row, also written by insert_events for a publish's answer.
  static bool keep_idempotent(SqliteConnection& db, const IdempotentRecord& record);

  // claim_due's step: the endpoint of each delivery.
  void attach_endpoints(SqliteConnection& db, std::vector<DueDelivery>& due);

  // record_outcomes' steps.
  static void insert_attempt(SqliteConnection& db, int64_t delivery_id, const std::string& event_id,
                             const std::string& endpoint_id, const Attempt& attempt);
  // Sets failing_since_ms of each endpoint and disables those failing for
  // longer than disable_after_ms; returns the ids disabled.
  std::vector<std::string> update_endpoint_health(
      SqliteConnection& db, const EndpointHealthByEndpoint& health, int64_t now_ms,
      int64_t disable_after_ms);

  // Runs `work(connection)` inside one write transaction committed with
  // `durability`; rolls back if it throws.
  template <typename Work>
  auto write(Durability durability, Work&& work) {
    std::lock_guard lock(write_mutex_);
    Transaction transaction(writer_, durability);
    if constexpr (std::is_void_v<decltype(work(writer_))>) {
      work(writer_);
      transaction.commit();
      committed();
    } else {
      auto result = work(writer_);
      transaction.commit();
      committed();
      return result;
    }
  }
  // After a write's commit: a change to accounts or endpoints (seen by the
  // writer's update hook) moves routing_generation_ on, once it is visible.
  void committed() {
    if (!routing_touched_) return;
    routing_touched_ = false;
    routing_generation_.fetch_add(1, std::memory_order_release);
  }

  // Runs `work(connection)` on a borrowed reader connection.
  template <typename Work>
  auto read(Work&& work) {
    auto lease = readers_.acquire();
    return work(*lease);
  }

  std::mutex write_mutex_;
  SqliteConnection writer_;  // guarded by write_mutex_
  ConnectionPool readers_;
  std::atomic<int64_t> pending_deliveries_{0};
  std::shared_ptr<DeliveryLeases> leases_;  // shared with every store on this file
  int64_t probes_ = 0;  // guarded by write_mutex_
  bool routing_touched_ = false;  // guarded by write_mutex_ (set by the writer's update hook)
  std::atomic<uint64_t> routing_generation_{0};
  // After writer_: destroyed first, so that its hook is gone before the writer closes.
  std::unique_ptr<WalCheckpointer> checkpointer_;
};

}  // namespace hookline::sqlite
