#pragma once
// The cluster-wide per-endpoint ceiling on PostgreSQL: under which lock an
// endpoint's leases are counted, and how, for both ways a delivery gets
// leased — a claim (pg_queue.cpp) and the group commit's hand-over
// (pg_events.cpp). Two transactions that count one endpoint's leases take its
// lock first, so the second counts what the first leased.
#include <cstddef>
#include <string>
#include <vector>

#include "store/postgres/pg_connection.hpp"
#include "store/store.hpp"

namespace hookline::postgres {

// SQL that takes the transaction lock of every endpoint id the one-column
// query `endpoint_ids` returns, in key order (no deadlock between two lockers).
// Counting leases must happen in a later statement: a statement's snapshot is
// taken before its locks are granted.
std::string lock_endpoints_sql(const std::string& endpoint_ids);

// SQL of the rows (endpoint_id, n): the deliveries of each endpoint among
// `endpoint_ids` (a one-column query) leased now, i.e. pending with a lease
// that ends after the first `?` parameter (now, clock ms).
std::string leases_per_endpoint_sql(const std::string& endpoint_ids);

// Which of `events`' deliveries (in insert order: event after event, each
// one's endpoint_ids) to insert leased: those asked (lease_until_ms > 0), as
// long as their endpoint stays within `per_endpoint` leased deliveries in the
// cluster, the earlier ones of the batch first. Locks the endpoints for the
// rest of the transaction. `per_endpoint` 0: every one asked.
std::vector<bool> lease_within_ceiling(PgConnection& db, const std::vector<NewEvent>& events,
                                       std::size_t per_endpoint);

}  // namespace hookline::postgres
