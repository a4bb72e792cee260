// PostgresStore: activity over a time window, for GET /v1/webhook_stats. The
// same SQL as store/sqlite/sqlite_stats.cpp.
#include "store/latency_class.hpp"
#include "store/postgres/pg_store_impl.hpp"

namespace hookline::postgres {

EventActivity PostgresStore::event_activity(const EventActivityQuery& query) {
  const int64_t until = query.since + query.bucket_seconds * query.bucket_count;
  std::string sql =
      "SELECT (created - ?) / ?, COUNT(*), COALESCE(SUM(pending_webhooks), 0) FROM events "
      "WHERE created >= ? AND created < ? AND livemode = ?";
  if (!query.account_id.empty()) sql += " AND account_id = ?";
  sql += " GROUP BY 1";
  return read([&](PgConnection& db) {
    Query rows(db, sql);
    rows.bind(1, query.since).bind(2, query.bucket_seconds).bind(3, query.since).bind(4, until);
    rows.bind(5, query.livemode);
    if (!query.account_id.empty()) rows.bind(6, query.account_id);
    rows.run();
    EventActivity activity;
    activity.events_per_bucket.assign(static_cast<std::size_t>(query.bucket_count), 0);
    for (int row = 0; row < rows.rows(); ++row) {
      const int64_t bucket = rows.int64(row, 0);
      if (bucket >= 0 && bucket < query.bucket_count) {
        activity.events_per_bucket[static_cast<std::size_t>(bucket)] = rows.int64(row, 1);
      }
      activity.pending_webhooks += rows.int64(row, 2);
    }
    return activity;
  });
}

std::vector<AttemptHistogramCell> PostgresStore::attempt_histogram(const std::string& endpoint_id,
                                                                   int64_t since_ms,
                                                                   int64_t bucket_ms,
                                                                   int bucket_count) {
  const std::string sql = std::string("SELECT (at_ms - ?) / ?, ") + kLatencyClassSql +
                          ", COUNT(*), SUM(success) FROM attempts WHERE endpoint_id = ? AND "
                          "at_ms >= ? AND at_ms < ? GROUP BY 1, 2";
  return read([&](PgConnection& db) {
    Query rows(db, sql);
    rows.bind(1, since_ms).bind(2, bucket_ms).bind(3, endpoint_id).bind(4, since_ms);
    rows.bind(5, since_ms + bucket_ms * bucket_count).run();
    std::vector<AttemptHistogramCell> cells;
    for (int row = 0; row < rows.rows(); ++row) {
      cells.push_back({static_cast<int>(rows.int64(row, 0)), rows.int64(row, 1), rows.int64(row, 2),
                       rows.int64(row, 3)});
    }
    return cells;
  });
}

}  // namespace hookline::postgres
