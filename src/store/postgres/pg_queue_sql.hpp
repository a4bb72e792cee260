#pragma once
// The queue's hot statements, by name, so that a test can check their plans
// (EXPLAIN) against a backlog: the counterpart of sqlite/sqlite_queue_sql.hpp.
#include <string>

namespace hookline::postgres {

// claim_due without a per-endpoint ceiling: parameters (now_ms, node_id,
// limit, lease_until_ms, lease_until_ms).
const std::string& claim_oldest_sql();

}  // namespace hookline::postgres
