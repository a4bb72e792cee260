// SqliteStore: the deliveries table as a queue (claim, record outcomes).
//
// Leases live in memory (sqlite_leases.hpp): a claim reads and writes no page.
// Outcomes commit with Durability::kNormal: one lost to a power failure only
// makes a delivery due again (at-least-once), while a process crash loses
// nothing in WAL mode. What the API acknowledges (events,
// endpoints, accounts) commits with kFull.
#include <algorithm>
#include <limits>
#include <map>
#include <unordered_map>

#include "store/outcome_batch.hpp"
#include "store/sqlite/sqlite_attempt_hours.hpp"
#include "store/sqlite/sqlite_queue_sql.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace hookline::sqlite {

namespace {

constexpr std::size_t kMaxResponseExcerpt = 4096;

}  // namespace

const std::string& claim_due_sql() {
  // Walks deliveries_due (next_attempt_ms of the pending rows) from the oldest,
  // reading the index alone (a row's id is its key): at most `limit` entries
  // however long the backlog is (claim_plan_test checks). Its condition on
  // state is the index's own, so the index serves.
  static const std::string sql =
      "SELECT id, next_attempt_ms FROM deliveries"
      " WHERE state = 'pending' AND next_attempt_ms <= ? ORDER BY next_attempt_ms LIMIT ?";
  return sql;
}

const std::string& claimed_delivery_sql() {
  static const std::string sql = "SELECT " + delivery_columns("d.") +
                                 ", b.body, e.livemode, e.type, e.account_id"
                                 " FROM deliveries d JOIN events e ON e.seq = d.event_seq"
                                 " JOIN event_bodies b ON b.event_seq = d.event_seq"
                                 " WHERE d.id = ?";
  return sql;
}

std::vector<DueDelivery> SqliteStore::claim_due(int64_t now_ms, int64_t lease_until_ms,
                                                std::size_t limit, std::size_t) {
  if (limit == 0) return {};
  // Writes nothing: the lease is taken in leases_ (sqlite_leases.hpp), under
  // the write lock so that no other store on this file claims meanwhile.
  return write(Durability::kNormal, [&](SqliteConnection& db) {
    std::vector<int64_t> ids;
    {
      // Leased deliveries keep their place in the index and are skipped: the
      // walk reads at most that many entries more.
      Query walk(db, claim_due_sql());
      walk.bind(1, now_ms).bind(2, static_cast<int64_t>(limit + leases_->size()));
      while (ids.size() < limit && walk.step()) {
        const int64_t id = walk.int64(0);
        if (!leases_->held(id, now_ms)) ids.push_back(id);
      }
    }
    std::vector<DueDelivery> due;
    due.reserve(ids.size());
    for (const int64_t id : ids) {
      Query query(db, claimed_delivery_sql());
      query.bind(1, id);
      if (!query.step()) continue;
      DueDelivery item;
      item.delivery = read_delivery(query);
      item.delivery.next_attempt_ms = lease_until_ms;
      item.event_body = query.text(kDeliveryColumnCount);
      item.event_livemode = query.boolean(kDeliveryColumnCount + 1);
      item.event_type = query.text(kDeliveryColumnCount + 2);
      item.event_account_id = query.text(kDeliveryColumnCount + 3);
      due.push_back(std::move(item));
    }
    attach_endpoints(db, due);
    leases_->hold(ids, now_ms, lease_until_ms);
    return due;
  });
}

void SqliteStore::attach_endpoints(SqliteConnection& db, std::vector<DueDelivery>& due) {
  // A batch goes to few endpoints: read each once (nullopt when deleted).
  std::unordered_map<std::string, std::optional<WebhookEndpoint>> endpoints;
  for (DueDelivery& item : due) {
    auto found = endpoints.find(item.delivery.endpoint_id);
    if (found == endpoints.end()) {
      Query query(db, "SELECT " + endpoint_columns() + " FROM webhook_endpoints WHERE id = ?");
      query.bind(1, item.delivery.endpoint_id);
      std::optional<WebhookEndpoint> endpoint;
      if (query.step()) endpoint = read_endpoint(query);
      found = endpoints.emplace(item.delivery.endpoint_id, std::move(endpoint)).first;
    }
    item.endpoint = found->second;
  }
}

std::optional<int64_t> SqliteStore::next_due_ms() {
  return read([&](SqliteConnection& db) -> std::optional<int64_t> {
    // The same walk, to the first delivery not leased: a leased one is due
    // when its lease ends (if its row is not due later), and every row after
    // the first one not leased is due no earlier than it.
    Query walk(db, claim_due_sql());
    walk.bind(1, std::numeric_limits<int64_t>::max()).bind(2, int64_t{-1});  // -1: no limit
    std::optional<int64_t> earliest;
    while (walk.step()) {
      const std::optional<int64_t> lease_end = leases_->end_of(walk.int64(0));
      const int64_t due = std::max(walk.int64(1), lease_end.value_or(0));
      if (!earliest || due < *earliest) earliest = due;
      if (!lease_end) break;
    }
    return earliest;
  });
}

int64_t SqliteStore::count_pending_deliveries() { return pending_deliveries_.load(); }

std::vector<std::string> SqliteStore::record_outcomes(const std::vector<DeliveryOutcome>& outcomes,
                                                      int64_t now_ms, int64_t disable_after_ms) {
  if (outcomes.empty()) return {};
  int64_t settled = 0;  // deliveries that left 'pending'
  std::vector<std::string> disabled = write(Durability::kNormal, [&](SqliteConnection& db) {
    // Every row read first, then the batch folded (outcome_batch.hpp), then
    // each row written once, in key order: one attempts insert per attempt,
    // one update per delivery, one decrement per event.
    std::map<int64_t, DeliveryRowState> rows;
    for (const DeliveryOutcome& outcome : outcomes) {
      rows.emplace(outcome.delivery_id, DeliveryRowState{});
    }
    for (auto it = rows.begin(); it != rows.end();) {
      Query current(db,
                    "SELECT state, manual, event_id, endpoint_id, event_seq FROM deliveries "
                    "WHERE id = ?");
      current.bind(1, it->first);
      if (!current.step()) {  // pruned meanwhile: nothing left to record against
        it = rows.erase(it);
        continue;
      }
      it->second = {current.text(0) == "pending", current.boolean(1), current.text(2),
                    current.text(3), current.int64(4)};
      ++it;
    }
    const OutcomeBatch batch = fold_outcomes(outcomes, rows, now_ms);
    for (const AttemptRow& row : batch.attempts) {
      insert_attempt(db, row.delivery_id, *row.event_id, *row.endpoint_id, *row.attempt);
    }
    for (const auto& [delivery_id, change] : batch.deliveries) {
      if (change.attempts == 0 && !change.transitioned) continue;  // nothing to write
      Query(db,
            "UPDATE deliveries SET attempt_count = attempt_count + ?, "
            "last_http_status = CASE WHEN ? = 1 THEN ? ELSE last_http_status END, "
            "last_error = CASE WHEN ? = 1 THEN ? ELSE last_error END, "
            "state = CASE WHEN ? = 1 THEN ? ELSE state END, "
            "next_attempt_ms = CASE WHEN ? = 1 THEN ? ELSE next_attempt_ms END WHERE id = ?")
          .bind(1, change.attempts)
          .bind(2, change.has_attempt)
          .bind(3, change.last_http_status)
          .bind(4, change.has_attempt)
          .bind(5, change.last_error)
          .bind(6, change.transitioned)
          .bind(7, delivery_state_text(change.state))
          .bind(8, change.transitioned)
          .bind(9, change.next_attempt_ms)
          .bind(10, delivery_id)
          .run();
    }
    for (const auto& [event_seq, count] : batch.succeeded_per_event) {
      Query(db,
            "UPDATE events SET pending_webhooks = MAX(pending_webhooks - ?, 0) "
            "WHERE seq = ? AND pending_webhooks > 0")
          .bind(1, count)
          .bind(2, event_seq)
          .run();
    }
    settled = batch.settled;
    add_attempt_hours(db, outcomes);
    return update_endpoint_health(db, batch.health, now_ms, disable_after_ms);
  });
  pending_deliveries_ -= settled;
  // After the commit: until then the rows still say pending and due.
  std::vector<int64_t> recorded;
  recorded.reserve(outcomes.size());
  for (const DeliveryOutcome& outcome : outcomes) recorded.push_back(outcome.delivery_id);
  leases_->release(recorded);
  return disabled;
}

std::vector<std::string> SqliteStore::update_endpoint_health(
    SqliteConnection& db, const EndpointHealthByEndpoint& health, int64_t now_ms,
    int64_t disable_after_ms) {
  std::vector<std::string> disabled;
  for (const auto& [endpoint_id, endpoint] : health) {
    if (endpoint.failing_since_ms == 0) {
      // Only when it was failing: an unchanged row is not written (every batch
      // of successes would otherwise rewrite the endpoint's page).
      Query(db, "UPDATE webhook_endpoints SET failing_since_ms = 0 "
                "WHERE id = ? AND failing_since_ms <> 0")
          .bind(1, endpoint_id)
          .run();
      continue;
    }
    // After a success in this batch the run starts anew; otherwise it goes on
    // from whenever it began.
    Query(db,
          "UPDATE webhook_endpoints SET failing_since_ms = ? "
          "WHERE id = ? AND (failing_since_ms = 0 OR ? = 1)")
        .bind(1, endpoint.failing_since_ms)
        .bind(2, endpoint_id)
        .bind(3, endpoint.succeeded_in_batch)
        .run();
    Query(db,
          "UPDATE webhook_endpoints SET status = 'disabled' WHERE id = ? AND status = 'enabled' "
          "AND failing_since_ms <> 0 AND failing_since_ms < ?")
        .bind(1, endpoint_id)
        .bind(2, now_ms - disable_after_ms)
        .run();
    if (db.changes() > 0) disabled.push_back(endpoint_id);
  }
  return disabled;
}

void SqliteStore::insert_attempt(SqliteConnection& db, int64_t delivery_id,
                                 const std::string& event_id, const std::string& endpoint_id,
                                 const Attempt& attempt) {
  const std::string_view excerpt =
      std::string_view(attempt.response_excerpt).substr(0, kMaxResponseExcerpt);
  Query(db,
        "INSERT INTO attempts (delivery_id, event_id, endpoint_id, at_ms, http_status, error, "
        "latency_us, response_excerpt, success, event_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, delivery_id)
      .bind(2, event_id)
      .bind(3, endpoint_id)
      .bind(4, attempt.at_ms)
      .bind(5, attempt.http_status)
      .bind(6, attempt.error)
      .bind(7, attempt.latency_us)
      .bind_blob(8, excerpt)
      .bind(9, attempt.success)
      .bind(10, attempt.event_type)
      .run();
}

}  // namespace hookline::sqlite
