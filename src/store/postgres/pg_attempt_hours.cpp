#include "store/postgres/pg_attempt_hours.hpp"

#include "store/attempt_hours.hpp"

namespace hookline::postgres {

void add_attempt_hours(PgConnection& db, const std::vector<DeliveryOutcome>& outcomes) {
  // One round trip for the batch; the cells are in key order, so the rows are
  // locked in that order (no deadlock between nodes).
  const std::vector<AttemptHourCell> cells = attempt_hour_cells(outcomes);
  if (cells.empty()) return;
  Query upsert(db, attempt_hours_upsert_sql(cells.size()));
  upsert.bind_all(1, attempt_hours_upsert_params(cells));
  upsert.run();
}

}  // namespace hookline::postgres
