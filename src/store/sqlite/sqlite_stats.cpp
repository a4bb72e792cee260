// SqliteStore: activity over a time window, for GET /v1/webhook_stats. The
// same SQL as store/postgres/pg_stats.cpp.
#include "store/sqlite/sqlite_store_impl.hpp"

namespace hookline::sqlite {

EventActivity SqliteStore::event_activity(const EventActivityQuery& query) {
  const int64_t until = query.since + query.bucket_seconds * query.bucket_count;
  std::string sql =
      "SELECT (created - ?) / ?, COUNT(*), COALESCE(SUM(pending_webhooks), 0) FROM events "
      "WHERE created >= ? AND created < ? AND livemode = ?";
  if (!query.account_id.empty()) sql += " AND account_id = ?";
  sql += " GROUP BY 1";
  return read([&](SqliteConnection& db) {
    Query rows(db, sql);
    rows.bind(1, query.since).bind(2, query.bucket_seconds).bind(3, query.since).bind(4, until);
    rows.bind(5, query.livemode);
    if (!query.account_id.empty()) rows.bind(6, query.account_id);
    EventActivity activity;
    activity.events_per_bucket.assign(static_cast<std::size_t>(query.bucket_count), 0);
    while (rows.step()) {
      const int64_t bucket = rows.int64(0);
      if (bucket >= 0 && bucket < query.bucket_count) {
        activity.events_per_bucket[static_cast<std::size_t>(bucket)] = rows.int64(1);
      }
      activity.pending_webhooks += rows.int64(2);
    }
    return activity;
  });
}

std::vector<AttemptSample> SqliteStore::list_attempt_samples(const std::string& endpoint_id,
                                                             int64_t since_ms, std::size_t limit) {
  return read([&](SqliteConnection& db) {
    Query rows(db,
               "SELECT at_ms, latency_us, success FROM attempts WHERE endpoint_id = ? AND "
               "at_ms >= ? ORDER BY at_ms DESC, id DESC LIMIT ?");
    rows.bind(1, endpoint_id).bind(2, since_ms).bind(3, static_cast<int64_t>(limit));
    std::vector<AttemptSample> samples;
    while (rows.step()) samples.push_back({rows.int64(0), rows.int64(1), rows.int64(2) != 0});
    return samples;
  });
}

}  // namespace hookline::sqlite
