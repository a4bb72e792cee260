// SqliteStore: the deliveries table as a queue (claim, record outcomes).
//
// Queue bookkeeping commits with Durability::kNormal: a lease or an outcome lost
// to a power failure only makes a delivery due again (at-least-once), while a
// process crash loses nothing in WAL mode. What the API acknowledges (events,
// endpoints, accounts) commits with kFull.
#include <algorithm>
#include <set>
#include <unordered_map>

#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace hookline::sqlite {

namespace {

constexpr std::size_t kMaxResponseExcerpt = 4096;

}  // namespace

std::vector<DueDelivery> SqliteStore::claim_due(int64_t now_ms, int64_t lease_until_ms,
                                                std::size_t limit) {
  if (limit == 0) return {};
  return write(Durability::kNormal, [&](SqliteConnection& db) {
    std::vector<DueDelivery> due;
    std::unordered_map<std::string, std::optional<WebhookEndpoint>> endpoints;
    {
      // Walks deliveries_due (state, next_attempt_ms) from the oldest: reads at
      // most `limit` rows however long the backlog is.
      const int endpoint_first = kDeliveryColumnCount + 4;
      Query query(db, "SELECT " + delivery_columns("d.") +
                          ", e.body, e.livemode, e.type, e.account_id, " +
                          endpoint_columns("w.") +
                          " FROM deliveries d JOIN events e ON e.id = d.event_id"
                          " LEFT JOIN webhook_endpoints w ON w.id = d.endpoint_id"
                          " WHERE d.state = 'pending' AND d.next_attempt_ms <= ?"
                          " ORDER BY d.next_attempt_ms LIMIT ?");
      query.bind(1, now_ms).bind(2, static_cast<int64_t>(limit));
      while (query.step()) {
        DueDelivery item;
        item.delivery = read_delivery(query);
        item.event_body = query.text(kDeliveryColumnCount);
        item.event_livemode = query.boolean(kDeliveryColumnCount + 1);
        item.event_type = query.text(kDeliveryColumnCount + 2);
        item.event_account_id = query.text(kDeliveryColumnCount + 3);
        auto cached = endpoints.find(item.delivery.endpoint_id);
        if (cached == endpoints.end()) {
          std::optional<WebhookEndpoint> endpoint;
          if (!query.is_null(endpoint_first)) endpoint = read_endpoint(query, endpoint_first);
          cached = endpoints.emplace(item.delivery.endpoint_id, std::move(endpoint)).first;
        }
        item.endpoint = cached->second;
        due.push_back(std::move(item));
      }
    }
    for (DueDelivery& item : due) {
      Query(db, "UPDATE deliveries SET next_attempt_ms = ? WHERE id = ?")
          .bind(1, lease_until_ms)
          .bind(2, item.delivery.id)
          .run();
      item.delivery.next_attempt_ms = lease_until_ms;
    }
    return due;
  });
}

std::optional<int64_t> SqliteStore::next_due_ms() {
  return read([&](SqliteConnection& db) -> std::optional<int64_t> {
    Query query(db, "SELECT MIN(next_attempt_ms) FROM deliveries WHERE state = 'pending'");
    if (!query.step() || query.is_null(0)) return std::nullopt;
    return query.int64(0);
  });
}

int64_t SqliteStore::count_pending_deliveries() {
  return read([&](SqliteConnection& db) {
    Query query(db, "SELECT COUNT(*) FROM deliveries WHERE state = 'pending'");
    query.step();
    return query.int64(0);
  });
}

std::vector<std::string> SqliteStore::record_outcomes(const std::vector<DeliveryOutcome>& outcomes,
                                                      int64_t now_ms, int64_t disable_after_ms) {
  if (outcomes.empty()) return {};
  return write(Durability::kNormal, [&](SqliteConnection& db) {
    std::set<std::string> failing_endpoints;
    for (const DeliveryOutcome& outcome : outcomes) {
      // The row, not the outcome, says what the delivery is.
      bool was_pending = false;
      bool manual = false;
      std::string event_id, endpoint_id;
      {
        Query current(db,
                      "SELECT state, manual, event_id, endpoint_id FROM deliveries WHERE id = ?");
        current.bind(1, outcome.delivery_id);
        if (!current.step()) continue;  // pruned meanwhile: nothing left to record against
        was_pending = current.text(0) == "pending";
        manual = current.boolean(1);
        event_id = current.text(2);
        endpoint_id = current.text(3);
      }
      const std::optional<Attempt>& attempt = outcome.attempt;
      if (attempt) {
        const std::string_view excerpt =
            std::string_view(attempt->response_excerpt).substr(0, kMaxResponseExcerpt);
        Query(db,
              "INSERT INTO attempts (delivery_id, event_id, endpoint_id, at_ms, http_status, "
              "error, latency_us, response_excerpt, success) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(1, outcome.delivery_id)
            .bind(2, event_id)
            .bind(3, endpoint_id)
            .bind(4, attempt->at_ms)
            .bind(5, attempt->http_status)
            .bind(6, attempt->error)
            .bind(7, attempt->latency_us)
            .bind_blob(8, excerpt)
            .bind(9, attempt->success)
            .run();
        Query(db,
              "UPDATE deliveries SET attempt_count = attempt_count + 1, last_http_status = ?, "
              "last_error = ? WHERE id = ?")
            .bind(1, attempt->http_status)
            .bind(2, attempt->error)
            .bind(3, outcome.delivery_id)
            .run();
        if (attempt->success) {
          failing_endpoints.erase(endpoint_id);
          Query(db, "UPDATE webhook_endpoints SET failing_since_ms = 0 WHERE id = ?")
              .bind(1, endpoint_id)
              .run();
        } else {
          failing_endpoints.insert(endpoint_id);
          Query(db,
                "UPDATE webhook_endpoints SET failing_since_ms = ? "
                "WHERE id = ? AND failing_since_ms = 0")
              .bind(1, attempt->at_ms > 0 ? attempt->at_ms : now_ms)
              .bind(2, endpoint_id)
              .run();
        }
      }
      // A delivery already final (claimed twice after a lease ran out) stays as it is.
      if (!was_pending) continue;
      Query(db, "UPDATE deliveries SET state = ?, next_attempt_ms = ? WHERE id = ?")
          .bind(1, delivery_state_text(outcome.new_state))
          .bind(2, outcome.new_state == DeliveryState::kPending ? outcome.next_attempt_ms : 0)
          .bind(3, outcome.delivery_id)
          .run();
      if (outcome.new_state == DeliveryState::kSucceeded && !manual) {
        Query(db,
              "UPDATE events SET pending_webhooks = pending_webhooks - 1 "
              "WHERE id = ? AND pending_webhooks > 0")
            .bind(1, event_id)
            .run();
      }
    }
    std::vector<std::string> disabled;
    for (const std::string& endpoint_id : failing_endpoints) {
      Query(db,
            "UPDATE webhook_endpoints SET status = 'disabled' WHERE id = ? AND status = 'enabled' "
            "AND failing_since_ms <> 0 AND failing_since_ms < ?")
          .bind(1, endpoint_id)
          .bind(2, now_ms - disable_after_ms)
          .run();
      if (db.changes() > 0) disabled.push_back(endpoint_id);
    }
    return disabled;
  });
}

}  // namespace hookline::sqlite
