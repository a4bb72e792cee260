#include "store/postgres/pg_endpoint_ceiling.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

namespace hookline::postgres {

namespace {

// A TEXT[] literal of `values`, each quoted (a parameter: nothing is spliced
// into the SQL).
std::string text_array(const std::set<std::string>& values) {
  std::string literal = "{";
  for (const std::string& value : values) {
    if (literal.size() > 1) literal += ',';
    literal += '"';
    for (char c : value) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  return literal + '}';
}

}  // namespace

std::string lock_endpoints_sql(const std::string& endpoint_ids) {
  return "SELECT pg_advisory_xact_lock(7420, k) FROM (SELECT DISTINCT hashtext(endpoint_id) AS k"
         " FROM (" +
         endpoint_ids + ") ids(endpoint_id) ORDER BY k) keys";
}

std::string leases_per_endpoint_sql(const std::string& endpoint_ids) {
  // `lease_until_ms > 0` lets them be counted from the partial index deliveries_leased.
  return "SELECT endpoint_id, COUNT(*) AS n FROM deliveries"
         " WHERE lease_until_ms > 0 AND lease_until_ms > ? AND state = 'pending'"
         " AND endpoint_id IN (" +
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
