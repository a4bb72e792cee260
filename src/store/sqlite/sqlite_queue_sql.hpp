#pragma once
// The queue's hot statements, by name, so that a test can check their plans
// (EXPLAIN QUERY PLAN) against a backlog.
#include <string>

namespace hookline::sqlite {

// claim_due's select: parameters (now_ms, limit); delivery_columns("d."),
// then the event's body, livemode, type and account_id.
const std::string& claim_due_sql();

}  // namespace hookline::sqlite
