#include "store/sqlite/sqlite_attempt_hours.hpp"

#include "store/attempt_hours.hpp"

namespace hookline::sqlite {

void add_attempt_hours(SqliteConnection& db, const std::vector<DeliveryOutcome>& outcomes) {
  // One cached single-row statement per cell: in-process, a statement costs
  // less than compiling one per batch size.
  static const std::string upsert = attempt_hours_upsert_sql(1);
  for (const AttemptHourCell& cell : attempt_hour_cells(outcomes)) {
    Query(db, upsert)
        .bind(1, cell.endpoint_id)
        .bind(2, cell.hour_ms)
        .bind(3, cell.latency_class)
        .bind(4, cell.attempts)
        .bind(5, cell.succeeded)
        .run();
  }
}

}  // namespace hookline::sqlite
