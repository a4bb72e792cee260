#pragma once
// The statements of GET /v1/webhook_stats and the fold of their rows, one copy
// for both stores (sqlite/sqlite_stats.cpp, postgres/pg_stats.cpp): they bind
// the same parameters in the same order.
#include <cstdint>
#include <string>

#include "store/store.hpp"

namespace hookline {

// Events per bucket of the window and their pending_webhooks. Parameters:
// since, bucket_seconds, since, until, livemode[, account_id].
std::string event_activity_sql(const EventActivityQuery& query);
// The window's end (excluded), in unix seconds.
int64_t event_activity_until(const EventActivityQuery& query);
// A window with every bucket at zero.
EventActivity empty_event_activity(const EventActivityQuery& query);
// Adds one row of event_activity_sql: (bucket, events, pending_webhooks).
void add_event_activity_row(const EventActivityQuery& query, EventActivity& activity,
                            int64_t bucket, int64_t events, int64_t pending_webhooks);

// An endpoint's attempts per bucket and latency class (store/latency_class.hpp).
// Parameters: since_ms, bucket_ms, endpoint_id, since_ms, until_ms. Buckets of
// whole hours (the day window) are read from the hourly rollup
// (store/attempt_hours.hpp), others from the attempts' index.
const std::string& attempt_histogram_sql(int64_t since_ms, int64_t bucket_ms);

}  // namespace hookline
