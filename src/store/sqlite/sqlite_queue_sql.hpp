#pragma once
// The store's statements on deliveries, by name, so that a test can check
// their plans (EXPLAIN QUERY PLAN; claim_plan_test, sqlite_read_plan_test).
#include <string>

namespace hookline::sqlite {

// claim_due's select: parameters (now_ms, limit); delivery_columns("d."),
// then the event's body, livemode, type and account_id.
const std::string& claim_due_sql();

// next_due_ms: the earliest next_attempt_ms of a pending delivery.
const std::string& next_due_sql();

// list_deliveries: parameter the event's id.
const std::string& deliveries_of_event_sql();

// prune: the events created before ? (at most ? of them: id, seq), then, per
// event, the attempts of its deliveries (parameter the event's seq).
const std::string& prune_events_sql();
const std::string& prune_attempts_sql();

}  // namespace hookline::sqlite
