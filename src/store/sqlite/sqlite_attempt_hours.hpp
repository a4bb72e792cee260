#pragma once
// SqliteStore: adds a batch of outcomes' attempts to the hourly rollup
// (store/attempt_hours.hpp), inside the transaction that writes them.
#include <vector>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"

namespace hookline::sqlite {

void add_attempt_hours(SqliteConnection& db, const std::vector<DeliveryOutcome>& outcomes);

}  // namespace hookline::sqlite
