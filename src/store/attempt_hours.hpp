#pragma once
// The hourly rollup of attempts (table attempt_hours, both stores): per
// endpoint, hour and latency class (store/latency_class.hpp), how many
// attempts and how many succeeded. GET /v1/webhook_stats?window=day reads it
// instead of every attempt of the day (24 rows per endpoint and class instead
// of up to a million index entries). The store adds each batch of outcomes to
// it in the transaction that writes their attempts, so it is exact.
#include <cstdint>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_connection.hpp"  // Param: shared by both stores
#include "store/store.hpp"

namespace hookline {

inline constexpr int64_t kAttemptHourMs = 3'600'000;

// The class of a latency in µs, as kLatencyClassSql computes it in SQL.
int64_t latency_class_of(int64_t latency_us);

// The cells that `outcomes`' attempts add to attempt_hours, one per
// (endpoint, hour, class), in key order: the store upserts them in that order
// so that two nodes writing overlapping batches lock the rows in one order.
struct AttemptHourCell {
  std::string endpoint_id;
  int64_t hour_ms = 0;
  int64_t latency_class = 0;
  int64_t attempts = 0;
  int64_t succeeded = 0;
};
std::vector<AttemptHourCell> attempt_hour_cells(const std::vector<DeliveryOutcome>& outcomes);

// The upsert of `rows` cells, parameters (endpoint_id, hour_ms, latency_class,
// attempts, succeeded) per cell, in order.
std::string attempt_hours_upsert_sql(std::size_t rows);
// Those parameters for `cells`.
std::vector<sqlite::Param> attempt_hours_upsert_params(const std::vector<AttemptHourCell>& cells);

// Fills an empty attempt_hours from the attempts already in the table (the
// migration that creates it; benchmarks that fill attempts with SQL).
const std::string& attempt_hours_backfill_sql();

// Removes the rollup's hours that ended by `before_ms` (retention).
// Parameter: before_ms.
const std::string& attempt_hours_prune_sql();

}  // namespace hookline
