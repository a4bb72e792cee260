#pragma once
// The Store: everything hookline keeps. One interface, an SQLite implementation
// (the embedded default) and later a PostgreSQL one for several nodes, so the
// SQL behind it stays portable.
//
// Thread safety: every method may be called concurrently from any thread.
// Errors: a failure of the underlying database throws StoreError; a lookup of
// something absent returns nullopt / false, never throws.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/models.hpp"

namespace hookline {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The database cannot be reached (connection refused or lost: PostgreSQL
// restarting, a network fault). Nothing of the failed call was committed; the
// call may succeed later. The API answers it with 503.
class StoreUnavailable : public StoreError {
 public:
  using StoreError::StoreError;
};

// Cursor pagination, newest first (created desc, then insertion order desc), as
// Stripe lists are. At most one of starting_after / ending_before is set.
// A cursor id that does not exist yields an empty page (the caller checks
// existence first if it wants Stripe's "No such …" error). has_more tells
// whether more items lie beyond the page in the direction of the walk (older
// with starting_after or no cursor, newer with ending_before). Attempts, which
// have no string id, use their numeric id in decimal as the cursor.
struct PageRequest {
  int limit = 10;                  // 1..100, validated by the caller
  std::string starting_after;      // id: items older than this one
  std::string ending_before;       // id: items newer than this one
  // > 0: a byte budget (list_events counts the events' bodies). The page ends,
  // with has_more, before the item that would take it past the budget; its
  // first item is always included. 0: only `limit` bounds the page.
  std::size_t max_bytes = 0;
};

template <typename T>
struct Page {
  std::vector<T> items;  // newest first, even with ending_before
  bool has_more = false;
};

struct EventFilter {
  std::string account_id;                 // required: whose events
  std::optional<bool> livemode;
  // Exact types or prefix patterns ending in '*' ("payment_intent.*"); empty: all.
  std::vector<std::string> types;
  std::optional<int64_t> created_gt, created_gte, created_lt, created_lte;  // unix seconds
  // true: events with no pending delivery left; false: events with one still pending.
  std::optional<bool> delivery_success;
};

struct IdempotentResponse {
  std::string request_hash;  // what the first request was (method, path, body)
  int status = 0;            // 0: reserved by a request still running (reserve_idempotent)
  std::string body;
  int64_t created_ms = 0;
};

// A response kept for an Idempotency-Key (scope, key), as put_idempotent keeps it.
struct IdempotentRecord {
  std::string scope;
  std::string key;
  IdempotentResponse response;
};

// An event to commit together with its routed deliveries.
struct NewEvent {
  StoredEvent event;  // pending_webhooks: the store writes endpoint_ids.size()
  std::vector<std::string> endpoint_ids;  // one delivery row each
  int64_t first_attempt_ms = 0;           // next_attempt_ms of those rows (and created_ms)
  // > 0: the rows are inserted already claimed, leased until then (their
  // next_attempt_ms), because they are handed straight to the dispatcher
  // (DeliveryHandoff); if it dies, they come due again then.
  int64_t lease_until_ms = 0;
  // The latest state of data.object, retrievable at its resource path as its
  // account (empty object_id: nothing to keep).
  std::string object_type;  // e.g. "payment_intent"
  std::string object_id;    // e.g. "pi_…"
  std::string object_json;
  // The API call's answer to keep for its Idempotency-Key, in the same
  // transaction (as put_idempotent: in place of a reservation, never over a
  // kept response); nullopt: none.
  std::optional<IdempotentRecord> idempotent;
};

// A claimed delivery with what the dispatcher needs to attempt it.
struct DueDelivery {
  Delivery delivery;
  std::string event_body;
  bool event_livemode = false;
  std::string event_type;
  std::string event_account_id;
  // nullopt when the endpoint was deleted.
  std::optional<WebhookEndpoint> endpoint;
};

// Deliveries handed from the commit that created them straight to the
// dispatcher, so that they need no claim (GroupCommitWriter). Thread-safe.
class DeliveryHandoff {
 public:
  virtual ~DeliveryHandoff() = default;
  // Room for `count` more deliveries: the lease end (clock ms) to insert them
  // with (NewEvent::lease_until_ms), or nullopt (insert them due, to be claimed).
  virtual std::optional<int64_t> reserve(std::size_t count) = 0;
  // Reserved room not used after all (the commit failed).
  virtual void release(std::size_t count) = 0;
  // The committed deliveries, at most as many as reserved (the rest is released).
  virtual void hand_over(std::vector<DueDelivery> deliveries, std::size_t reserved) = 0;
  // The cluster-wide ceiling of deliveries leased to one endpoint that what is
  // inserted leased for it must respect (Store::insert_events_within_ceiling);
  // 0: none.
  virtual std::size_t per_endpoint_ceiling() const { return 0; }
};

// What the dispatcher decided after an attempt (or after deciding not to make one).
struct DeliveryOutcome {
  int64_t delivery_id = 0;
  std::string event_id;
  std::string endpoint_id;
  // The attempt made; nullopt when none was (endpoint disabled or deleted).
  std::optional<Attempt> attempt;
  DeliveryState new_state = DeliveryState::kPending;
  int64_t next_attempt_ms = 0;  // when new_state == kPending
  bool manual = false;
};

// Activity over a time window, for the dashboard's charts (GET /v1/webhook_stats).
struct EventActivityQuery {
  std::string account_id;  // empty: every account
  bool livemode = false;
  int64_t since = 0;           // unix seconds: the first bucket's start
  int64_t bucket_seconds = 60;  // > 0
  int bucket_count = 60;        // > 0; events after the last bucket are not counted
};

struct EventActivity {
  std::vector<int64_t> events_per_bucket;  // bucket_count entries
  int64_t pending_webhooks = 0;            // summed over the window's events
};

// An endpoint's attempts in one time bucket and one latency class: a cell of
// the latency histogram that GET /v1/webhook_stats reads its percentiles from.
struct AttemptHistogramCell {
  int bucket = 0;             // (at_ms - since_ms) / bucket_ms
  int64_t latency_class = 0;  // µs, two significant digits: store/latency_class.hpp
  int64_t attempts = 0;
  int64_t succeeded = 0;
};

struct StoredObject {
  std::string account_id;
  bool livemode = false;
  std::string object_type;
  std::string object_id;
  std::string json;
};

class Store {
 public:
  virtual ~Store() = default;

  // --- settings: small named values (platform account id, generated keys, …)
  virtual std::optional<std::string> get_setting(const std::string& name) = 0;
  virtual void put_setting(const std::string& name, const std::string& value) = 0;
  // Writes `value` unless `name` already has one, atomically (nodes starting
  // together on one database): returns the value kept, `value` if it was this call's.
  virtual std::string put_setting_if_absent(const std::string& name, const std::string& value) = 0;

  // --- accounts (the platform and its connected accounts)
  virtual void put_account(const Account& account) = 0;  // insert or replace
  virtual std::optional<Account> get_account(const std::string& id) = 0;
  // Connected accounts only (never the platform).
  virtual Page<Account> list_accounts(const PageRequest& page) = 0;
  virtual bool delete_account(const std::string& id) = 0;

  // --- webhook endpoints
  virtual void put_endpoint(const WebhookEndpoint& endpoint) = 0;  // insert or replace
  virtual std::optional<WebhookEndpoint> get_endpoint(const std::string& id) = 0;
  // Endpoints owned by `account_id`, optionally of one mode; listen sessions excluded.
  virtual Page<WebhookEndpoint> list_endpoints(const std::string& account_id,
                                               std::optional<bool> livemode,
                                               const PageRequest& page) = 0;
  virtual bool delete_endpoint(const std::string& id) = 0;
  // Every endpoint that could receive an event of `account_id`: those it owns
  // and every Connect endpoint (routing/ decides which of them actually do).
  virtual std::vector<WebhookEndpoint> routing_candidates(const std::string& account_id) = 0;
  // A number that changes after every committed write to accounts or
  // endpoints, so that what get_account and routing_candidates answered may be
  // cached until it changes (EventPublisher). nullopt: no such number (other
  // nodes write the same database: read every time).
  virtual std::optional<uint64_t> routing_generation() { return std::nullopt; }

  // --- events and their deliveries
  // Commits every event with its delivery rows and objects in ONE transaction:
  // all or nothing. Returns only once durable, with the ids of the delivery
  // rows in order (the events' endpoint_ids, event after event).
  virtual std::vector<int64_t> insert_events(const std::vector<NewEvent>& events) = 0;
  struct InsertedDeliveries {
    std::vector<int64_t> ids;  // as insert_events returns them
    std::vector<bool> leased;  // parallel to ids: inserted leased (else due)
  };
  // As insert_events, under a cluster-wide ceiling (the group commit's
  // hand-over): a delivery asked leased (NewEvent::lease_until_ms > 0) is
  // inserted leased only while its endpoint's deliveries leased now by any
  // store on the database (counted as claim_due counts them, and under the
  // same lock; "now" is the events' first_attempt_ms) stay within
  // `per_endpoint`; the others are inserted due at first_attempt_ms, to be
  // claimed. A store that no other node shares (SQLite), or `per_endpoint` 0,
  // leases every one asked.
  virtual InsertedDeliveries insert_events_within_ceiling(
      const std::vector<NewEvent>& events, [[maybe_unused]] std::size_t per_endpoint) {
    InsertedDeliveries inserted{insert_events(events), {}};
    for (const NewEvent& item : events) {
      inserted.leased.insert(inserted.leased.end(), item.endpoint_ids.size(),
                             item.lease_until_ms > 0);
    }
    return inserted;
  }
  virtual std::optional<StoredEvent> get_event(const std::string& id) = 0;
  virtual Page<StoredEvent> list_events(const EventFilter& filter, const PageRequest& page) = 0;
  // Adds a manual delivery (a resend) of an event to an endpoint, due at `due_ms`.
  // Returns its id, or 0 if the event does not exist.
  virtual int64_t add_manual_delivery(const std::string& event_id, const std::string& endpoint_id,
                                      int64_t due_ms) = 0;
  // Every delivery of an event (automatic and manual), in creation order.
  virtual std::vector<Delivery> list_deliveries(const std::string& event_id) = 0;

  // --- the queue
  // Claims up to `limit` pending deliveries due at or before `now_ms`, oldest due
  // first, leased until `lease_until_ms` so that nobody else claims them meanwhile
  // (PostgreSQL: in the row; SQLite: in this process's memory, sqlite_leases.hpp).
  // `per_endpoint` > 0: a cluster-wide ceiling; the claim takes no more of one
  // endpoint's deliveries than `per_endpoint` minus those of it leased now by
  // any store on the database (claimed or inserted leased, lease not yet
  // ended, outcome not yet recorded). A store that no other node shares
  // (SQLite) ignores it: its one dispatcher limits itself.
  virtual std::vector<DueDelivery> claim_due(int64_t now_ms, int64_t lease_until_ms,
                                             std::size_t limit, std::size_t per_endpoint) = 0;
  std::vector<DueDelivery> claim_due(int64_t now_ms, int64_t lease_until_ms, std::size_t limit) {
    return claim_due(now_ms, lease_until_ms, limit, 0);
  }
  // The earliest next_attempt_ms of a pending delivery, if any.
  virtual std::optional<int64_t> next_due_ms() = 0;
  // Writes outcomes in one transaction: attempt rows, delivery state, the
  // event's pending_webhooks (decremented on the first success of a non-manual
  // delivery), the endpoint's failing_since_ms (set on failure if 0, cleared on
  // success). An endpoint whose failing_since_ms is older than
  // `now_ms - disable_after_ms` is disabled; the ids of endpoints disabled by
  // this call are returned. The delivery's own row decides what it is (manual,
  // event, endpoint); an outcome for a delivery no longer pending (claimed
  // twice after a lease ran out) logs its attempt but changes no state or
  // count; an outcome for a delivery that no longer exists is ignored.
  // Durability: claim_due and record_outcomes commit without waiting for fsync
  // (a process crash loses nothing; a power loss may replay a delivery).
  virtual std::vector<std::string> record_outcomes(const std::vector<DeliveryOutcome>& outcomes,
                                                   int64_t now_ms, int64_t disable_after_ms) = 0;
  // Deliveries still pending, exactly. SQLite keeps the figure in memory
  // (counted once when the store opens, then moved by the writes that change
  // it); PostgreSQL, shared by several nodes, counts with a query.
  virtual int64_t count_pending_deliveries() = 0;
  // The same figure for a gauge scraped often (/metrics): never more than one
  // query per few seconds, so it may be that old (PostgreSQL keeps the last
  // count for PostgresOptions::pending_gauge_max_age_ms).
  virtual int64_t pending_deliveries_gauge() { return count_pending_deliveries(); }

  // --- attempts log (newest first)
  virtual Page<Attempt> list_attempts_for_event(const std::string& event_id,
                                                const PageRequest& page) = 0;
  // `types`: only attempts of events of these types (exact names or "prefix*"
  // patterns, as EventFilter::types); empty: every attempt.
  virtual Page<Attempt> list_attempts_for_endpoint(const std::string& endpoint_id,
                                                   const PageRequest& page,
                                                   const std::vector<std::string>& types = {}) = 0;

  // --- statistics
  virtual EventActivity event_activity(const EventActivityQuery& query) = 0;
  // The endpoint's attempts from since_ms to since_ms + bucket_ms * bucket_count
  // (excluded), counted per bucket and latency class (aggregated in SQL, one
  // index range scan); cells without attempts are left out.
  virtual std::vector<AttemptHistogramCell> attempt_histogram(const std::string& endpoint_id,
                                                              int64_t since_ms, int64_t bucket_ms,
                                                              int bucket_count) = 0;

  // --- objects carried by events (latest data.object per id)
  virtual std::optional<StoredObject> get_object(const std::string& object_id) = 0;

  // --- idempotency keys, scoped by the caller (key + account)
  virtual std::optional<IdempotentResponse> get_idempotent(const std::string& scope,
                                                           const std::string& key) = 0;
  // Keeps the response, in place of a reservation of (scope, key) if there is
  // one. Returns false if a response for (scope, key) already exists (a race).
  virtual bool put_idempotent(const std::string& scope, const std::string& key,
                              const IdempotentResponse& response) = 0;
  // Reserves (scope, key) for a request now running, across every node on the
  // database: a row with status 0 and `request_hash`, created at `now_ms`.
  // Returns false if the key already has a row (a kept response, or another
  // request's reservation made at or after `stale_before_ms`); an older
  // reservation (its node died mid-request) is taken over.
  virtual bool reserve_idempotent(const std::string& scope, const std::string& key,
                                  const std::string& request_hash, int64_t now_ms,
                                  int64_t stale_before_ms) = 0;
  // Drops the reservation of (scope, key) (its request ended without a
  // response to keep); a kept response stays.
  virtual void release_idempotent(const std::string& scope, const std::string& key) = 0;
  // Whether other processes (nodes) may use this database at once: then a key
  // must be reserved in it (reserve_idempotent) while its request runs; if not
  // (SQLite: one server per data directory, under its lock), a reservation in
  // the server's memory is enough and saves a write per keyed POST.
  virtual bool shared_by_nodes() const { return true; }

  // --- other nodes on a shared database
  // Registers `wake`, called on a thread of the store's whenever a store on
  // the same database (another node, or this one) committed deliveries that
  // are due to be claimed, so that an idle dispatcher claims them at once
  // instead of at its next look. A second call replaces the first; an empty
  // function stops the calls (before whatever `wake` uses goes away). A store
  // that no other node shares (SQLite) never calls it.
  virtual void on_deliveries_due(std::function<void()> wake) { (void)wake; }

  // A `hookline listen` session on this node serves these endpoints: until
  // released (or this node stops renewing its hold, i.e. it died), stores of
  // other nodes do not claim their deliveries, and this one claims them. A
  // store that no other node shares (SQLite) has nothing to record.
  virtual void hold_listen_endpoints(const std::vector<std::string>& endpoint_ids) = 0;
  virtual void release_listen_endpoints(const std::vector<std::string>& endpoint_ids) = 0;

  // Work that must run once per cluster (retention): a lock on `job` that one
  // store on the database holds at a time; nullptr while another holds it.
  // Released when the returned object goes (or its node dies). A store that no
  // other node shares (SQLite) always grants it.
  class JobLock {
   public:
    virtual ~JobLock() = default;
  };
  virtual std::unique_ptr<JobLock> try_lock_job(const std::string& job) = 0;

  // --- retention: deletes events created before `created_before` (unix seconds)
  // with their deliveries and attempts, and idempotency keys older than
  // `idempotency_before_ms`. Returns the number of events deleted.
  virtual int64_t prune(int64_t created_before, int64_t idempotency_before_ms) = 0;

  // --- readiness: a cheap read, then a tiny write committed durably. Throws
  // StoreError saying which failed (disk full, read-only, damaged, …). Each
  // call writes and syncs: the caller limits how often it asks.
  virtual void probe() = 0;
};

}  // namespace hookline
