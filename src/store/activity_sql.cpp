#include "store/activity_sql.hpp"

#include "store/attempt_hours.hpp"
#include "store/latency_class.hpp"

namespace hookline {

std::string event_activity_sql(const EventActivityQuery& query) {
  std::string sql =
      "SELECT (created - ?) / ?, COUNT(*), COALESCE(SUM(pending_webhooks), 0) FROM events "
      "WHERE created >= ? AND created < ? AND livemode = ?";
  if (!query.account_id.empty()) sql += " AND account_id = ?";
  sql += " GROUP BY 1";
  return sql;
}

int64_t event_activity_until(const EventActivityQuery& query) {
  return query.since + query.bucket_seconds * query.bucket_count;
}

EventActivity empty_event_activity(const EventActivityQuery& query) {
  EventActivity activity;
  activity.events_per_bucket.assign(static_cast<std::size_t>(query.bucket_count), 0);
  return activity;
}

void add_event_activity_row(const EventActivityQuery& query, EventActivity& activity,
                            int64_t bucket, int64_t events, int64_t pending_webhooks) {
  if (bucket >= 0 && bucket < query.bucket_count) {
    activity.events_per_bucket[static_cast<std::size_t>(bucket)] = events;
  }
  activity.pending_webhooks += pending_webhooks;
}

const std::string& attempt_histogram_sql(int64_t since_ms, int64_t bucket_ms) {
  static const std::string hourly =
      "SELECT (hour_ms - ?) / ?, latency_class, SUM(attempts), SUM(succeeded) FROM attempt_hours "
      "WHERE endpoint_id = ? AND hour_ms >= ? AND hour_ms < ? GROUP BY 1, 2";
  if (since_ms % kAttemptHourMs == 0 && bucket_ms % kAttemptHourMs == 0) return hourly;
  static const std::string sql = std::string("SELECT (at_ms - ?) / ?, ") + kLatencyClassSql +
                                 ", COUNT(*), SUM(success) FROM attempts WHERE endpoint_id = ? "
                                 "AND at_ms >= ? AND at_ms < ? GROUP BY 1, 2";
  return sql;
}

}  // namespace hookline
