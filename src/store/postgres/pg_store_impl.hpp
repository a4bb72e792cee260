#pragma once
// The PostgreSQL implementation of Store (private to store/postgres/), the
// counterpart of sqlite/sqlite_store_impl.hpp.
//
// Connections: a bounded pool; every call borrows one. Unlike SQLite, writers
// do not queue behind one mutex: PostgreSQL locks rows, and several nodes
// share the database anyway. Deliveries are claimed with FOR UPDATE SKIP
// LOCKED, so that concurrent claimers (threads or nodes) never claim the same
// row while its lease holds.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>

#include "store/endpoint_health.hpp"
#include "store/outcome_batch.hpp"
#include "store/postgres/pg_cluster.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_connection_pool.hpp"
#include "store/postgres/pg_notifications.hpp"
#include "store/postgres/pg_routing_generation.hpp"
#include "store/postgres/pg_store.hpp"

namespace hookline::postgres {

class PostgresStore final : public Store {
 public:
  using Store::claim_due;
  explicit PostgresStore(const PostgresOptions& options);

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
  std::optional<uint64_t> routing_generation() override;

  std::vector<int64_t> insert_events(const std::vector<NewEvent>& events) override;
  InsertedDeliveries insert_events_within_ceiling(const std::vector<NewEvent>& events,
                                                  std::size_t per_endpoint) override;
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
  int64_t pending_deliveries_gauge() override;
  void probe() override;

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

  void hold_listen_endpoints(const std::vector<std::string>& endpoint_ids) override;
  void release_listen_endpoints(const std::vector<std::string>& endpoint_ids) override;
  std::unique_ptr<JobLock> try_lock_job(const std::string& job) override;

  int64_t prune(int64_t created_before, int64_t idempotency_before_ms) override;

  void on_deliveries_due(std::function<void()> wake) override;

 private:
  // insert_events' steps: one multi-row INSERT per table and chunk.
  static std::vector<int64_t> insert_event_rows(PgConnection& db,
                                                const std::vector<NewEvent>& events);
  static void insert_event_bodies(PgConnection& db, const std::vector<NewEvent>& events,
                                  const std::vector<int64_t>& event_seqs);
  static std::vector<int64_t> insert_delivery_rows(PgConnection& db,
                                                   const std::vector<NewEvent>& events,
                                                   const std::vector<int64_t>& event_seqs,
                                                   const std::vector<bool>& leased);
  static void upsert_objects(PgConnection& db, const std::vector<NewEvent>& events);
  // put_idempotent's row, also written by insert_events for a publish's answer.
  static bool keep_idempotent(PgConnection& db, const IdempotentRecord& record);

  // claim_due's steps: the claim (without a ceiling, or within one), its rows
  // in due order, then the endpoint of each delivery.
  std::vector<DueDelivery> claim_oldest(PgConnection& db, int64_t now_ms, int64_t lease_until_ms,
                                        std::size_t limit);
  std::vector<DueDelivery> claim_within_ceiling(PgConnection& db, int64_t now_ms,
                                                int64_t lease_until_ms, std::size_t limit,
                                                std::size_t per_endpoint);
  static std::vector<DueDelivery> read_claimed(const Query& claim);
  static void attach_endpoints(PgConnection& db, std::vector<DueDelivery>& due);

  // record_outcomes' steps.
  static void insert_attempts(PgConnection& db, const std::vector<AttemptRow>& attempts);
  static void update_deliveries(PgConnection& db, const std::map<int64_t, DeliveryChange>& changes);
  static std::vector<std::string> update_endpoint_health(
      PgConnection& db, const EndpointHealthByEndpoint& health, int64_t now_ms,
      int64_t disable_after_ms);

  // Runs `work(connection)` inside one transaction committed with
  // `durability`; rolls back if it throws. A transaction aborted by a stale
  // prepared statement (another node's migration changed a row type) runs
  // once more, its statements prepared afresh: `work` must be repeatable.
  template <typename Work>
  auto write(Durability durability, Work&& work) {
    auto lease = pool_.acquire();
    for (int attempt = 1;; ++attempt) {
      try {
        Transaction transaction(*lease, durability);
        if constexpr (std::is_void_v<decltype(work(*lease))>) {
          work(*lease);
          transaction.commit();
          return;
        } else {
          auto result = work(*lease);
          transaction.commit();
          return result;
        }
      } catch (const StalePreparedStatement&) {
        if (attempt == 2) throw;
      }
    }
  }

  // Runs `work(connection)` on a borrowed connection (autocommit).
  template <typename Work>
  auto read(Work&& work) {
    auto lease = pool_.acquire();
    return work(*lease);
  }

  // Renews this node's listen holds (HoldRenewer's work).
  void renew_listen_holds();

  const std::string conninfo_;
  const std::string node_id_;  // this store's name in listen_holders: one per process
  PgConnectionPool pool_;
  // The last count of the gauge, and when (steady ms; -1: never).
  const int64_t pending_gauge_max_age_ms_;
  std::mutex pending_gauge_mutex_;
  int64_t pending_gauge_ = 0;         // GUARDED_BY(pending_gauge_mutex_)
  int64_t pending_gauge_at_ms_ = -1;  // GUARDED_BY(pending_gauge_mutex_)
  std::atomic<int64_t> probes_{0};  // readiness probes: each writes a new value
  SharedGenerationRead routing_generation_;
  // After pool_: stopped first.
  std::unique_ptr<DueListener> listener_;
  std::unique_ptr<HoldRenewer> renewer_;
};

}  // namespace hookline::postgres
