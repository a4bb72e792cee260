// PostgresStore: the attempts log, idempotency keys and retention.
#include "store/attempt_hours.hpp"
#include "store/idempotency_sql.hpp"
#include "store/postgres/pg_pagination.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/pg_store_impl.hpp"

namespace hookline::postgres {

namespace {

// Events deleted per transaction, so that pruning a large backlog never holds
// its locks for long.
constexpr int64_t kPruneBatch = 2000;

PageQuery attempts_query(const std::string& key_column, const std::string& key) {
  PageQuery query;
  query.select = "SELECT " + attempt_columns() + " FROM attempts";
  query.where = key_column + " = ?";
  query.params.push_back(key);
  query.order = "at_ms, id";
  query.cursor_lookup = "SELECT at_ms, id FROM attempts WHERE id = ?";
  query.integer_cursor = true;
  return query;
}

}  // namespace

Page<Attempt> PostgresStore::list_attempts_for_event(const std::string& event_id,
                                                     const PageRequest& page) {
  const PageQuery query = attempts_query("event_id", event_id);
  return read([&](PgConnection& db) {
    return read_page<Attempt>(db, query, page,
                              [](const Query& rows, int row) { return read_attempt(rows, row); });
  });
}

Page<Attempt> PostgresStore::list_attempts_for_endpoint(const std::string& endpoint_id,
                                                        const PageRequest& page,
                                                        const std::vector<std::string>& types) {
  PageQuery query = attempts_query("endpoint_id", endpoint_id);
  add_type_condition("event_type", types, query);
  return read([&](PgConnection& db) {
    return read_page<Attempt>(db, query, page,
                              [](const Query& rows, int row) { return read_attempt(rows, row); });
  });
}

std::optional<IdempotentResponse> PostgresStore::get_idempotent(const std::string& scope,
                                                                const std::string& key) {
  return read([&](PgConnection& db) -> std::optional<IdempotentResponse> {
    Query query(db,
                "SELECT request_hash, status, body, created_ms FROM idempotency_keys "
                "WHERE scope = ? AND idempotency_key = ?");
    query.bind(1, scope).bind(2, key).run();
    if (query.rows() == 0) return std::nullopt;
    return IdempotentResponse{query.text(0, 0), query.integer(0, 1), query.blob(0, 2),
                              query.int64(0, 3)};
  });
}

bool PostgresStore::keep_idempotent(PgConnection& db, const IdempotentRecord& record) {
  return Query(db, kKeepIdempotentSql)
             .bind(1, record.scope)
             .bind(2, record.key)
             .bind(3, record.response.request_hash)
             .bind(4, record.response.status)
             .bind_blob(5, record.response.body)
             .bind(6, record.response.created_ms)
             .run()
             .changes() > 0;
}

bool PostgresStore::put_idempotent(const std::string& scope, const std::string& key,
                                   const IdempotentResponse& response) {
  const IdempotentRecord record{scope, key, response};
  return write(Durability::kFull, [&](PgConnection& db) { return keep_idempotent(db, record); });
}

bool PostgresStore::reserve_idempotent(const std::string& scope, const std::string& key,
                                       const std::string& request_hash, int64_t now_ms,
                                       int64_t stale_before_ms) {
  return write(Durability::kNormal, [&](PgConnection& db) {
    // The primary key decides between nodes: one insert wins, the others see
    // its row (after it commits) and change nothing.
    return Query(db,
                 "INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, status, "
                 "body, created_ms) VALUES (?, ?, ?, 0, '', ?) "
                 "ON CONFLICT (scope, idempotency_key) DO UPDATE SET "
                 "request_hash = excluded.request_hash, created_ms = excluded.created_ms "
                 "WHERE idempotency_keys.status = 0 AND idempotency_keys.created_ms < ?")
               .bind(1, scope)
               .bind(2, key)
               .bind(3, request_hash)
               .bind(4, now_ms)
               .bind(5, stale_before_ms)
               .run()
               .changes() > 0;
  });
}

void PostgresStore::release_idempotent(const std::string& scope, const std::string& key) {
  write(Durability::kNormal, [&](PgConnection& db) {
    Query(db, "DELETE FROM idempotency_keys WHERE scope = ? AND idempotency_key = ? AND status = 0")
        .bind(1, scope)
        .bind(2, key)
        .run();
  });
}

int64_t PostgresStore::prune(int64_t created_before, int64_t idempotency_before_ms) {
  int64_t deleted = 0;
  for (;;) {
    // One statement per batch: the data-modifying CTEs see the same `old`.
    const int64_t batch = write(Durability::kNormal, [&](PgConnection& db) {
      return Query(db,
                   "WITH old AS (SELECT id, seq FROM events WHERE created < ? LIMIT ?), "
                   "gone_attempts AS (DELETE FROM attempts WHERE event_id IN (SELECT id FROM old)), "
                   "gone_deliveries AS (DELETE FROM deliveries "
                   "WHERE event_seq IN (SELECT seq FROM old)), "
                   "gone_bodies AS (DELETE FROM event_bodies "
                   "WHERE event_seq IN (SELECT seq FROM old)) "
                   "DELETE FROM events WHERE seq IN (SELECT seq FROM old)")
          .bind(1, created_before)
          .bind(2, kPruneBatch)
          .run()
          .changes();
    });
    deleted += batch;
    if (batch < kPruneBatch) break;
  }
  write(Durability::kNormal, [&](PgConnection& db) {
    Query(db, "DELETE FROM idempotency_keys WHERE created_ms < ?")
        .bind(1, idempotency_before_ms)
        .run();
    Query(db, attempt_hours_prune_sql()).bind(1, created_before * 1000).run();
  });
  return deleted;
}

}  // namespace hookline::postgres
