#include "store/postgres/pg_endpoint_ceiling.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "store/postgres/pg_literals.hpp"

namespace hookline::postgres {

std::string lock_endpoints_sql(const std::string& endpoint_ids) {
  return "SELECT pg_advisory_xact_lock(7420, k) FROM (SELECT DISTINCT hashtext(endpoint_id) AS k"
         " FROM (" +
         endpoint_ids + ") ids(endpoint_id) ORDER BY k) keys";
}

std::string leases_per_endpoint_sql(const std::string& endpoint_ids) {
  // A lease sets next_attempt_ms to its end too, and nothing moves it while
  // the lease runs: a live lease is also a pending row due after now, a short
  // range of deliveries_due (the partial index deliveries_leased keeps every
  // row ever leased until a vacuum). `now` is bound once and used twice.
  return "SELECT endpoint_id, COUNT(*) AS n FROM deliveries, (SELECT ?::BIGINT AS ms) now_ms"
         " WHERE lease_until_ms > 0 AND lease_until_ms > now_ms.ms AND state = 'pending'"
         " AND next_attempt_ms > now_ms.ms AND endpoint_id IN (" +
         endpoint_ids + ") GROUP BY endpoint_id";
}

std::vector<bool> lease_within_ceiling(PgConnection& db, const std::vector<NewEvent>& events,
                                       std::size_t per_endpoint) {
  std::vector<bool> leased;
  std::set<std::string> endpoints;
  int64_t now_ms = 0;
  for (const NewEvent& item : events) {
    const bool asked = item.lease_until_ms > 0;
    leased.insert(leased.end(), item.endpoint_ids.size(), asked);
    if (!asked || item.endpoint_ids.empty()) continue;
    endpoints.insert(item.endpoint_ids.begin(), item.endpoint_ids.end());
    now_ms = std::max(now_ms, item.first_attempt_ms);
  }
  if (per_endpoint == 0 || endpoints.empty()) return leased;

  const std::string ids = text_array(endpoints);
  Query(db, lock_endpoints_sql("SELECT unnest(?::TEXT[])")).bind(1, ids).run();
  Query busy(db, leases_per_endpoint_sql("SELECT unnest(?::TEXT[])"));
  busy.bind(1, now_ms).bind(2, ids).run();
  std::unordered_map<std::string, std::size_t> room;
  for (const std::string& id : endpoints) room[id] = per_endpoint;
  for (int row = 0; row < busy.rows(); ++row) {
    const auto count = static_cast<std::size_t>(busy.int64(row, 1));
    room[busy.text(row, 0)] = count >= per_endpoint ? 0 : per_endpoint - count;
  }
  std::size_t index = 0;
  for (const NewEvent& item : events) {
    for (const std::string& endpoint_id : item.endpoint_ids) {
      if (leased[index]) {
        std::size_t& left = room[endpoint_id];
        if (left > 0) {
          --left;
        } else {
          leased[index] = false;
        }
      }
      ++index;
    }
  }
  return leased;
}

}  // namespace hookline::postgres
