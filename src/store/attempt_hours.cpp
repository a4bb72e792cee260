#include "store/attempt_hours.hpp"

#include <map>
#include <tuple>

#include "store/latency_class.hpp"

namespace hookline {

int64_t latency_class_of(int64_t latency_us) {
  if (latency_us < 100) return latency_us;
  int64_t unit = 10;
  for (int64_t limit = 1000; latency_us >= limit && unit < 1'000'000; limit *= 10) unit *= 10;
  return latency_us / unit * unit;
}

std::vector<AttemptHourCell> attempt_hour_cells(const std::vector<DeliveryOutcome>& outcomes) {
  // std::map: the cells come out in key order.
  std::map<std::tuple<std::string, int64_t, int64_t>, AttemptHourCell> cells;
  for (const DeliveryOutcome& outcome : outcomes) {
    if (!outcome.attempt) continue;
    const Attempt& attempt = *outcome.attempt;
    const int64_t hour_ms = attempt.at_ms / kAttemptHourMs * kAttemptHourMs;
    const int64_t latency_class = latency_class_of(attempt.latency_us);
    AttemptHourCell& cell = cells[{outcome.endpoint_id, hour_ms, latency_class}];
    cell.endpoint_id = outcome.endpoint_id;
    cell.hour_ms = hour_ms;
    cell.latency_class = latency_class;
    ++cell.attempts;
    if (attempt.success) ++cell.succeeded;
  }
  std::vector<AttemptHourCell> sorted;
  sorted.reserve(cells.size());
  for (auto& [key, cell] : cells) sorted.push_back(std::move(cell));
  return sorted;
}

std::string attempt_hours_upsert_sql(std::size_t rows) {
  std::string sql =
      "INSERT INTO attempt_hours (endpoint_id, hour_ms, latency_class, attempts, succeeded) "
      "VALUES ";
  for (std::size_t row = 0; row < rows; ++row)
    sql += row == 0 ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)";
  sql +=
      " ON CONFLICT (endpoint_id, hour_ms, latency_class) DO UPDATE SET "
      "attempts = attempt_hours.attempts + excluded.attempts, "
      "succeeded = attempt_hours.succeeded + excluded.succeeded";
  return sql;
}

std::vector<sqlite::Param> attempt_hours_upsert_params(const std::vector<AttemptHourCell>& cells) {
  std::vector<sqlite::Param> params;
  params.reserve(cells.size() * 5);
  for (const AttemptHourCell& cell : cells) {
    params.emplace_back(cell.endpoint_id);
    params.emplace_back(cell.hour_ms);
    params.emplace_back(cell.latency_class);
    params.emplace_back(cell.attempts);
    params.emplace_back(cell.succeeded);
  }
  return params;
}

const std::string& attempt_hours_backfill_sql() {
  static const std::string sql =
      std::string(
          "INSERT INTO attempt_hours (endpoint_id, hour_ms, latency_class, attempts, succeeded) "
          "SELECT endpoint_id, at_ms / 3600000 * 3600000, ") +
      kLatencyClassSql + ", COUNT(*), SUM(success) FROM attempts GROUP BY 1, 2, 3";
  return sql;
}

const std::string& attempt_hours_prune_sql() {
  static const std::string sql = "DELETE FROM attempt_hours WHERE hour_ms + 3600000 <= ?";
  return sql;
}

}  // namespace hookline
