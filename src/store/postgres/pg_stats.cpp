// PostgresStore: activity over a time window, for GET /v1/webhook_stats. The
// statements are shared with the SQLite store (store/activity_sql).
#include "store/activity_sql.hpp"
#include "store/postgres/pg_store_impl.hpp"

namespace hookline::postgres {

EventActivity PostgresStore::event_activity(const EventActivityQuery& query) {
  return read([&](PgConnection& db) {
    Query rows(db, event_activity_sql(query));
    rows.bind(1, query.since).bind(2, query.bucket_seconds).bind(3, query.since);
    rows.bind(4, event_activity_until(query)).bind(5, query.livemode);
    if (!query.account_id.empty()) rows.bind(6, query.account_id);
    rows.run();
    EventActivity activity = empty_event_activity(query);
    for (int row = 0; row < rows.rows(); ++row) {
      add_event_activity_row(query, activity, rows.int64(row, 0), rows.int64(row, 1),
                             rows.int64(row, 2));
    }
    return activity;
  });
}

std::vector<AttemptHistogramCell> PostgresStore::attempt_histogram(const std::string& endpoint_id,
                                                                   int64_t since_ms,
                                                                   int64_t bucket_ms,
                                                                   int bucket_count) {
  return read([&](PgConnection& db) {
    Query rows(db, attempt_histogram_sql(since_ms, bucket_ms));
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
