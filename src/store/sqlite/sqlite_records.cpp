// SqliteStore: the attempts log, idempotency keys and retention.
#include "store/attempt_hours.hpp"
#include "store/idempotency_sql.hpp"
#include "store/sqlite/sqlite_pagination.hpp"
#include "store/sqlite/sqlite_queue_sql.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace hookline::sqlite {

namespace {

// Events deleted per transaction, so that pruning a large backlog never holds
// the write lock for long.
constexpr int64_t kPruneBatch = 2000;

}  // namespace

const std::string& prune_events_sql() {
  static const std::string sql = "SELECT id, seq FROM events WHERE created < ? LIMIT ?";
  return sql;
}

const std::string& prune_attempts_sql() {
  static const std::string sql =
      "DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE event_seq = ?)";
  return sql;
}

Page<Attempt> SqliteStore::list_attempts_for_event(const std::string& event_id,
                                                   const PageRequest& page) {
  const PageQuery query = attempts_for_event_query(event_id);
  return read([&](SqliteConnection& db) {
    return read_page<Attempt>(db, query, page, [](const Query& row) { return read_attempt(row); });
  });
}

Page<Attempt> SqliteStore::list_attempts_for_endpoint(const std::string& endpoint_id,
                                                      const PageRequest& page,
                                                      const std::vector<std::string>& types) {
  const PageQuery query = attempts_for_endpoint_query(endpoint_id, types);
  return read([&](SqliteConnection& db) {
    return read_page<Attempt>(db, query, page, [](const Query& row) { return read_attempt(row); });
  });
}

std::optional<IdempotentResponse> SqliteStore::get_idempotent(const std::string& scope,
                                                              const std::string& key) {
  return read([&](SqliteConnection& db) -> std::optional<IdempotentResponse> {
    Query query(db,
                "SELECT request_hash, status, body, created_ms FROM idempotency_keys "
                "WHERE scope = ? AND idempotency_key = ?");
    query.bind(1, scope).bind(2, key);
    if (!query.step()) return std::nullopt;
    return IdempotentResponse{query.text(0), query.integer(1), query.text(2), query.int64(3)};
  });
}

bool SqliteStore::keep_idempotent(SqliteConnection& db, const IdempotentRecord& record) {
  Query(db, kKeepIdempotentSql)
      .bind(1, record.scope)
      .bind(2, record.key)
      .bind(3, record.response.request_hash)
      .bind(4, record.response.status)
      .bind_blob(5, record.response.body)
      .bind(6, record.response.created_ms)
      .run();
  return db.changes() > 0;
}

bool SqliteStore::put_idempotent(const std::string& scope, const std::string& key,
                                 const IdempotentResponse& response) {
  const IdempotentRecord record{scope, key, response};
  return write(Durability::kFull,
               [&](SqliteConnection& db) { return keep_idempotent(db, record); });
}

bool SqliteStore::reserve_idempotent(const std::string& scope, const std::string& key,
                                     const std::string& request_hash, int64_t now_ms,
                                     int64_t stale_before_ms) {
  return write(Durability::kNormal, [&](SqliteConnection& db) {
    Query(db,
          "INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, status, body, "
          "created_ms) VALUES (?, ?, ?, 0, '', ?) "
          "ON CONFLICT (scope, idempotency_key) DO UPDATE SET "
          "request_hash = excluded.request_hash, created_ms = excluded.created_ms "
          "WHERE idempotency_keys.status = 0 AND idempotency_keys.created_ms < ?")
        .bind(1, scope)
        .bind(2, key)
        .bind(3, request_hash)
        .bind(4, now_ms)
        .bind(5, stale_before_ms)
        .run();
    return db.changes() > 0;
  });
}

void SqliteStore::release_idempotent(const std::string& scope, const std::string& key) {
  write(Durability::kNormal, [&](SqliteConnection& db) {
    Query(db, "DELETE FROM idempotency_keys WHERE scope = ? AND idempotency_key = ? AND status = 0")
        .bind(1, scope)
        .bind(2, key)
        .run();
  });
}

int64_t SqliteStore::prune(int64_t created_before, int64_t idempotency_before_ms) {
  int64_t deleted = 0;
  for (;;) {
    int64_t pending = 0;  // pending deliveries deleted with the batch
    const int64_t batch = write(Durability::kNormal, [&](SqliteConnection& db) {
      std::vector<std::pair<std::string, int64_t>> events;  // id, seq
      {
        Query old(db, prune_events_sql());
        old.bind(1, created_before).bind(2, kPruneBatch);
        while (old.step()) events.emplace_back(old.text(0), old.int64(1));
      }
      pending = 0;
      for (const auto& [id, seq] : events) {
        // Before the deliveries: the attempts are found through them.
        Query(db, prune_attempts_sql()).bind(1, seq).run();
        Query(db, "DELETE FROM deliveries WHERE event_seq = ? AND state = 'pending'")
            .bind(1, seq)
            .run();
        pending += db.changes();
        Query(db, "DELETE FROM deliveries WHERE event_seq = ?").bind(1, seq).run();
        Query(db, "DELETE FROM events WHERE seq = ?").bind(1, seq).run();
        Query(db, "DELETE FROM event_bodies WHERE event_seq = ?").bind(1, seq).run();
      }
      return static_cast<int64_t>(events.size());
    });
    pending_deliveries_ -= pending;
    deleted += batch;
    if (batch < kPruneBatch) break;
  }
  write(Durability::kNormal, [&](SqliteConnection& db) {
    Query(db, "DELETE FROM idempotency_keys WHERE created_ms < ?")
        .bind(1, idempotency_before_ms)
        .run();
    Query(db, attempt_hours_prune_sql()).bind(1, created_before * 1000).run();
  });
  return deleted;
}

}  // namespace hookline::sqlite
