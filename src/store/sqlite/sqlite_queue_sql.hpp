#pragma once
// The store's statements on deliveries, by name, so that a test can check
// their plans (EXPLAIN QUERY PLAN; claim_plan_test, sqlite_read_plan_test).
#include <string>

namespace hookline::sqlite {

// claim_due's and next_due_ms's walk over the pending deliveries, oldest due
// first: parameters (now_ms, limit); columns id, next_attempt_ms.
const std::string& claim_due_sql();

// claim_due's read of one claimed delivery: parameter its id;
// delivery_columns("d."), then the event's body, livemode, type and account_id.
const std::string& claimed_delivery_sql();

// list_deliveries: parameter the event's id.
const std::string& deliveries_of_event_sql();

// prune: the events created before ? (at most ? of them: id, seq), then, per
// event, the attempts of its deliveries (parameter the event's seq).
const std::string& prune_events_sql();
const std::string& prune_attempts_sql();

}  // namespace hookline::sqlite
