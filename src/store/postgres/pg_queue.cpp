// PostgresStore: the deliveries table as a queue (claim, record outcomes).
//
// As in sqlite_queue.cpp, queue bookkeeping commits with Durability::kNormal
// (synchronous_commit off): a lease or an outcome lost to a database crash
// only makes a delivery due again (at-least-once). What the API acknowledges
// commits with kFull.
#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <unordered_map>

#include "store/outcome_batch.hpp"
#include "store/postgres/pg_attempt_hours.hpp"
#include "store/postgres/pg_endpoint_ceiling.hpp"
#include "store/postgres/pg_literals.hpp"
#include "store/postgres/pg_queue_sql.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/pg_store_impl.hpp"

namespace hookline::postgres {

namespace {

constexpr std::size_t kMaxResponseExcerpt = 4096;

}  // namespace

const std::string& claim_oldest_sql() {
  static const std::string sql =
      "WITH due AS (SELECT id, next_attempt_ms AS due_ms FROM deliveries q"
      " WHERE state = 'pending' AND next_attempt_ms <= ? AND " +
      not_held_elsewhere("q") +
      " ORDER BY next_attempt_ms LIMIT ? FOR UPDATE SKIP LOCKED)"
      " UPDATE deliveries d SET next_attempt_ms = ?, lease_until_ms = ?"
      " FROM due, events e, event_bodies b WHERE d.id = due.id"
      " AND e.seq = d.event_seq AND b.event_seq = d.event_seq"
      " RETURNING " +
      delivery_columns("d.") + ", b.body, e.livemode, e.type, e.account_id, due.due_ms";
  return sql;
}

std::vector<DueDelivery> PostgresStore::claim_due(int64_t now_ms, int64_t lease_until_ms,
                                                  std::size_t limit, std::size_t per_endpoint) {
  if (limit == 0) return {};
  return write(Durability::kNormal, [&](PgConnection& db) {
    // The oldest due rows come from walking deliveries_due in order and
    // stopping at the limit. Right after a backlog built up, before the
    // table is analyzed again, the planner guesses a few dozen due rows and
    // reads every due row into a bitmap and sorts them instead: O(backlog)
    // per claim.
    db.exec("SET LOCAL enable_bitmapscan = off");
    std::vector<DueDelivery> due =
        per_endpoint == 0 ? claim_oldest(db, now_ms, lease_until_ms, limit)
                          : claim_within_ceiling(db, now_ms, lease_until_ms, limit, per_endpoint);
    attach_endpoints(db, due);
    return due;
  });
}

std::vector<DueDelivery> PostgresStore::claim_oldest(PgConnection& db, int64_t now_ms,
                                                     int64_t lease_until_ms, std::size_t limit) {
  // One statement selects the oldest due rows nobody else holds (SKIP
  // LOCKED: concurrent claimers take disjoint rows, never wait) and leases
  // them. RETURNING has no order: `due_ms` (before the lease) restores it.
  // A listen session's deliveries are left to the node holding it.
  Query claim(db, claim_oldest_sql());
  claim.bind(1, now_ms)
      .bind(2, node_id_)
      .bind(3, static_cast<int64_t>(limit))
      .bind(4, lease_until_ms)
      .bind(5, lease_until_ms)
      .run();
  return read_claimed(claim);
}

std::vector<DueDelivery> PostgresStore::claim_within_ceiling(PgConnection& db, int64_t now_ms,
                                                             int64_t lease_until_ms,
                                                             std::size_t limit,
                                                             std::size_t per_endpoint) {
  // 1. The oldest due rows nobody else holds, as claim_oldest takes them,
  // skipping endpoints already at the ceiling; then, in the same statement, a
  // transaction lock per endpoint among them (in key order: no deadlock), so
  // that two claimers of one endpoint count its leases one after the other.
  // Claims for other endpoints do not wait; the group commit's hand-over
  // takes the same locks (pg_endpoint_ceiling.hpp).
  // - Full endpoints: the leases are counted from deliveries_due. A lease
  //   sets next_attempt_ms to its end too, and nothing else moves it while
  //   the lease runs, so a live lease is a pending row due after now (few);
  //   `lease_until_ms > 0` alone read every entry of deliveries_leased, dead
  //   ones included until a vacuum.
  // - How many rows to lock: FOR UPDATE writes each row it locks, and step 2
  //   leases at most the ceiling of each endpoint. So the oldest rows are
  //   locked only up to the last one that is among its endpoint's oldest
  //   `per_endpoint` in a first look without locks (`preview`): a backlog on
  //   one endpoint locked the whole limit to lease a ceiling of it. The
  //   locking scan still skips what others hold and goes on (SKIP LOCKED),
  //   so claimers on several nodes take disjoint rows without waiting.
  Query candidates(
      db,
      "WITH full_endpoints AS (SELECT endpoint_id FROM deliveries"
      "  WHERE lease_until_ms > 0 AND lease_until_ms > ? AND state = 'pending'"
      "  AND next_attempt_ms > ? GROUP BY endpoint_id HAVING COUNT(*) >= ?),"
      " preview AS (SELECT ROW_NUMBER() OVER (ORDER BY next_attempt_ms, id) AS pos,"
      "  ROW_NUMBER() OVER (PARTITION BY endpoint_id ORDER BY next_attempt_ms, id) AS rank"
      "  FROM (SELECT id, endpoint_id, next_attempt_ms FROM deliveries"
      "   WHERE state = 'pending' AND next_attempt_ms <= ?"
      "   AND endpoint_id NOT IN (SELECT endpoint_id FROM full_endpoints)"
      "   ORDER BY next_attempt_ms, id LIMIT ?) oldest),"
      " c AS (SELECT id, endpoint_id FROM deliveries q"
      "  WHERE state = 'pending' AND next_attempt_ms <= ? AND " +
          not_held_elsewhere("q") +
          " AND endpoint_id NOT IN (SELECT endpoint_id FROM full_endpoints)"
          " ORDER BY next_attempt_ms, id"
          " LIMIT (SELECT COALESCE(MAX(pos), 0) FROM preview WHERE rank <= ?)"
          " FOR UPDATE OF q SKIP LOCKED),"
          " locked AS (" +
          lock_endpoints_sql("SELECT endpoint_id FROM c") +
          ") SELECT id, (SELECT COUNT(*) FROM locked) FROM c");
  candidates.bind(1, now_ms)
      .bind(2, now_ms)
      .bind(3, static_cast<int64_t>(per_endpoint))
      .bind(4, now_ms)
      .bind(5, static_cast<int64_t>(limit))
      .bind(6, now_ms)
      .bind(7, node_id_)
      .bind(8, static_cast<int64_t>(per_endpoint))
      .run();
  if (candidates.rows() == 0) return {};
  std::vector<int64_t> candidate_ids;
  candidate_ids.reserve(static_cast<std::size_t>(candidates.rows()));
  for (int row = 0; row < candidates.rows(); ++row) candidate_ids.push_back(candidates.int64(row, 0));
  const std::string ids = int_array(candidate_ids);
  // 2. A new snapshot, taken after the locks: the leases other claimers of
  // these endpoints committed are counted. Each endpoint gets the ceiling
  // minus its leases, oldest due first; the other candidates stay due.
  Query claim(db,
              "WITH c AS (SELECT id, endpoint_id, next_attempt_ms AS due_ms, ROW_NUMBER() OVER"
              "  (PARTITION BY endpoint_id ORDER BY next_attempt_ms, id) AS rank"
              "  FROM deliveries WHERE id = ANY(?::BIGINT[])),"
              " busy AS (" +
                  leases_per_endpoint_sql("SELECT endpoint_id FROM c") +
                  "),"
              " due AS (SELECT c.id, c.due_ms FROM c LEFT JOIN busy ON busy.endpoint_id = "
              "  c.endpoint_id WHERE c.rank <= ? - COALESCE(busy.n, 0))"
              " UPDATE deliveries d SET next_attempt_ms = ?, lease_until_ms = ?"
              " FROM due, events e, event_bodies b WHERE d.id = due.id"
              " AND e.seq = d.event_seq AND b.event_seq = d.event_seq"
              " RETURNING " +
                  delivery_columns("d.") +
                  ", b.body, e.livemode, e.type, e.account_id, due.due_ms");
  claim.bind(1, ids)
      .bind(2, now_ms)
      .bind(3, static_cast<int64_t>(per_endpoint))
      .bind(4, lease_until_ms)
      .bind(5, lease_until_ms)
      .run();
  return read_claimed(claim);
}

std::vector<DueDelivery> PostgresStore::read_claimed(const Query& claim) {
  std::vector<std::pair<int64_t, DueDelivery>> rows;
  for (int row = 0; row < claim.rows(); ++row) {
    DueDelivery item;
    item.delivery = read_delivery(claim, row);
    item.event_body = claim.text(row, kDeliveryColumnCount);
    item.event_livemode = claim.boolean(row, kDeliveryColumnCount + 1);
    item.event_type = claim.text(row, kDeliveryColumnCount + 2);
    item.event_account_id = claim.text(row, kDeliveryColumnCount + 3);
    rows.emplace_back(claim.int64(row, kDeliveryColumnCount + 4), std::move(item));
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.delivery.id < b.second.delivery.id;
  });
  std::vector<DueDelivery> due;
  due.reserve(rows.size());
  for (auto& row : rows) due.push_back(std::move(row.second));
  return due;
}

void PostgresStore::attach_endpoints(PgConnection& db, std::vector<DueDelivery>& due) {
  // A batch goes to few endpoints: read each once (nullopt when deleted).
  std::set<std::string> ids;
  for (const DueDelivery& item : due) ids.insert(item.delivery.endpoint_id);
  if (ids.empty()) return;
  Query query(db, "SELECT " + endpoint_columns() + " FROM webhook_endpoints WHERE id IN (" +
                      values_list(ids.size(), "?") + ")");
  int index = 1;
  for (const std::string& id : ids) query.bind(index++, id);
  query.run();
  std::unordered_map<std::string, WebhookEndpoint> endpoints;
  for (int row = 0; row < query.rows(); ++row) {
    WebhookEndpoint endpoint = read_endpoint(query, row);
    endpoints.emplace(endpoint.id, std::move(endpoint));
  }
  for (DueDelivery& item : due) {
    auto found = endpoints.find(item.delivery.endpoint_id);
    if (found != endpoints.end()) item.endpoint = found->second;
  }
}

std::optional<int64_t> PostgresStore::next_due_ms() {
  return read([&](PgConnection& db) -> std::optional<int64_t> {
    // As claim_due sees the queue: another node's listen deliveries are not due here.
    Query query(db, "SELECT MIN(next_attempt_ms) FROM deliveries q WHERE state = 'pending' AND " +
                        not_held_elsewhere("q"));
    query.bind(1, node_id_).run();
    if (query.rows() == 0 || query.is_null(0, 0)) return std::nullopt;
    return query.int64(0, 0);
  });
}

int64_t PostgresStore::count_pending_deliveries() {
  return read([&](PgConnection& db) {
    Query query(db, "SELECT COUNT(*) FROM deliveries WHERE state = 'pending'");
    query.run();
    return query.int64(0, 0);
  });
}

int64_t PostgresStore::pending_deliveries_gauge() {
  // One scraper counts while the others wait for its figure: at most one
  // query per max age per node, however many scrape.
  std::lock_guard lock(pending_gauge_mutex_);
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  if (pending_gauge_at_ms_ < 0 || now - pending_gauge_at_ms_ >= pending_gauge_max_age_ms_) {
    pending_gauge_ = count_pending_deliveries();
    pending_gauge_at_ms_ = now;
  }
  return pending_gauge_;
}

std::vector<std::string> PostgresStore::record_outcomes(
    const std::vector<DeliveryOutcome>& outcomes, int64_t now_ms, int64_t disable_after_ms) {
  if (outcomes.empty()) return {};
  return write(Durability::kNormal, [&](PgConnection& db) {
    // The rows, not the outcomes, say what each delivery is. They are locked
    // in id order (no deadlock between two nodes recording overlapping
    // batches), so that a concurrent outcome for the same delivery waits and
    // then sees the state this one leaves. Then the batch is folded
    // (outcome_batch.hpp) and written with one statement per table.
    std::map<int64_t, DeliveryRowState> rows;
    {
      std::set<int64_t> ids;
      for (const DeliveryOutcome& outcome : outcomes) ids.insert(outcome.delivery_id);
      Query lock(db,
                 "SELECT id, state, manual, event_id, endpoint_id, event_seq FROM deliveries "
                 "WHERE id = ANY(?::BIGINT[]) ORDER BY id FOR UPDATE");
      lock.bind(1, int_array(ids)).run();
      for (int row = 0; row < lock.rows(); ++row) {
        rows[lock.int64(row, 0)] = {lock.text(row, 1) == "pending", lock.boolean(row, 2),
                                    lock.text(row, 3), lock.text(row, 4), lock.int64(row, 5)};
      }
    }
    const OutcomeBatch batch = fold_outcomes(outcomes, rows, now_ms);
    insert_attempts(db, batch.attempts);
    update_deliveries(db, batch.deliveries);
    if (!batch.succeeded_per_event.empty()) {
      // Events locked in seq order first, for the same reason as the rows above.
      std::vector<int64_t> seqs, counts;
      for (const auto& [event_seq, count] : batch.succeeded_per_event) {
        seqs.push_back(event_seq);
        counts.push_back(count);
      }
      Query(db,
            "WITH u AS (SELECT * FROM unnest(?::BIGINT[], ?::INTEGER[]) AS u(seq, n)),"
            " locked AS (SELECT seq FROM events WHERE seq IN (SELECT seq FROM u)"
            "  ORDER BY seq FOR UPDATE)"
            " UPDATE events e SET pending_webhooks = GREATEST(e.pending_webhooks - u.n, 0)"
            " FROM u, locked WHERE e.seq = u.seq AND locked.seq = u.seq"
            " AND e.pending_webhooks > 0")
          .bind(1, int_array(seqs))
          .bind(2, int_array(counts))
          .run();
    }
    add_attempt_hours(db, outcomes);
    return update_endpoint_health(db, batch.health, now_ms, disable_after_ms);
  });
}

void PostgresStore::update_deliveries(PgConnection& db,
                                      const std::map<int64_t, DeliveryChange>& changes) {
  // Every delivery of the batch loses its lease, changed or not.
  std::vector<int64_t> ids, attempts, has_attempt, statuses, transitioned, next;
  std::vector<std::string> errors, states;
  for (const auto& [delivery_id, change] : changes) {
    ids.push_back(delivery_id);
    attempts.push_back(change.attempts);
    has_attempt.push_back(change.has_attempt);
    statuses.push_back(change.last_http_status);
    errors.push_back(change.last_error);
    transitioned.push_back(change.transitioned);
    states.push_back(delivery_state_text(change.state));
    next.push_back(change.next_attempt_ms);
  }
  if (ids.empty()) return;
  Query(db,
        "UPDATE deliveries d SET attempt_count = d.attempt_count + u.attempts, "
        "last_http_status = CASE WHEN u.has_attempt = 1 THEN u.status ELSE d.last_http_status END, "
        "last_error = CASE WHEN u.has_attempt = 1 THEN u.error ELSE d.last_error END, "
        "state = CASE WHEN u.transitioned = 1 THEN u.state ELSE d.state END, "
        "next_attempt_ms = CASE WHEN u.transitioned = 1 THEN u.next ELSE d.next_attempt_ms END, "
        "lease_until_ms = 0 "
        "FROM unnest(?::BIGINT[], ?::INTEGER[], ?::INTEGER[], ?::INTEGER[], ?::TEXT[], "
        "?::INTEGER[], ?::TEXT[], ?::BIGINT[]) "
        "AS u(id, attempts, has_attempt, status, error, transitioned, state, next) "
        "WHERE d.id = u.id")
      .bind(1, int_array(ids))
      .bind(2, int_array(attempts))
      .bind(3, int_array(has_attempt))
      .bind(4, int_array(statuses))
      .bind(5, text_array(errors))
      .bind(6, int_array(transitioned))
      .bind(7, text_array(states))
      .bind(8, int_array(next))
      .run();
}

std::vector<std::string> PostgresStore::update_endpoint_health(
    PgConnection& db, const EndpointHealthByEndpoint& health, int64_t now_ms,
    int64_t disable_after_ms) {
  std::vector<std::string> disabled;
  for (const auto& [endpoint_id, endpoint] : health) {
    if (endpoint.failing_since_ms == 0) {
      // Only when it was failing: an unchanged row is not written.
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
    const int64_t changed =
        Query(db,
              "UPDATE webhook_endpoints SET status = 'disabled' WHERE id = ? AND status = 'enabled' "
              "AND failing_since_ms <> 0 AND failing_since_ms < ?")
            .bind(1, endpoint_id)
            .bind(2, now_ms - disable_after_ms)
            .run()
            .changes();
    if (changed > 0) disabled.push_back(endpoint_id);
  }
  return disabled;
}

void PostgresStore::insert_attempts(PgConnection& db, const std::vector<AttemptRow>& attempts) {
  // Multi-row INSERTs (identities follow the VALUES order: the batch's order).
  constexpr std::size_t kRowsPerStatement = 1000;
  for (std::size_t begin = 0; begin < attempts.size(); begin += kRowsPerStatement) {
    const std::size_t count = std::min(kRowsPerStatement, attempts.size() - begin);
    std::string sql =
        "INSERT INTO attempts (delivery_id, event_id, endpoint_id, at_ms, http_status, error, "
        "latency_us, response_excerpt, success, event_type) VALUES ";
    for (std::size_t i = 0; i < count; ++i) {
      sql += i == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }
    Query insert(db, sql);
    for (std::size_t i = 0; i < count; ++i) {
      const AttemptRow& row = attempts[begin + i];
      const Attempt& attempt = *row.attempt;
      const std::string_view excerpt =
          std::string_view(attempt.response_excerpt).substr(0, kMaxResponseExcerpt);
      const int base = static_cast<int>(i) * 10 + 1;
      insert.bind(base, row.delivery_id)
          .bind(base + 1, *row.event_id)
          .bind(base + 2, *row.endpoint_id)
          .bind(base + 3, attempt.at_ms)
          .bind(base + 4, attempt.http_status)
          .bind(base + 5, attempt.error)
          .bind(base + 6, attempt.latency_us)
          .bind_blob(base + 7, excerpt)
          .bind(base + 8, attempt.success)
          .bind(base + 9, attempt.event_type);
    }
    insert.run();
  }
}

}  // namespace hookline::postgres
