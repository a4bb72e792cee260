#pragma once
// PostgresStore: adds a batch of outcomes' attempts to the hourly rollup
// (store/attempt_hours.hpp), inside the transaction that writes them.
#include <vector>

#include "store/postgres/pg_connection.hpp"
#include "store/store.hpp"

namespace hookline::postgres {

void add_attempt_hours(PgConnection& db, const std::vector<DeliveryOutcome>& outcomes);

}  // namespace hookline::postgres
