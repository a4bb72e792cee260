// SqliteStore: events, their deliveries and the objects they carry.

#include <algorithm>

#include "store/sqlite/sqlite_pagination.hpp"
#include "store/sqlite/sqlite_queue_sql.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace hookline::sqlite {

std::vector<int64_t> SqliteStore::insert_events(const std::vector<NewEvent>& events) {
  std::vector<int64_t> delivery_ids;
  if (events.empty()) return delivery_ids;
  write(Durability::kFull, [&](SqliteConnection& db) {
    delivery_ids.clear();  // (written again if a first try threw)
    for (const NewEvent& item : events) {
      const StoredEvent& event = item.event;
      Query(db,
            "INSERT INTO events (id, account_id, livemode, type, created, pending_webhooks) "
            "VALUES (?, ?, ?, ?, ?, ?)")
          .bind(1, event.id)
          .bind(2, event.account_id)
          .bind(3, event.livemode)
          .bind(4, event.type)
          .bind(5, event.created)
          .bind(6, static_cast<int64_t>(item.endpoint_ids.size()))
          .run();
      const int64_t event_seq = db.last_insert_rowid();
      Query(db, "INSERT INTO event_bodies (event_seq, body) VALUES (?, ?)")
          .bind(1, event_seq)
          .bind_blob(2, event.body)
          .run();
      for (const std::string& endpoint_id : item.endpoint_ids) {
        Query(db,
              "INSERT INTO deliveries (event_id, event_seq, endpoint_id, state, manual, "
              "attempt_count, next_attempt_ms, created_ms, last_http_status, last_error) "
              "VALUES (?, ?, ?, 'pending', 0, 0, ?, ?, 0, '')")
            .bind(1, event.id)
            .bind(2, event_seq)
            .bind(3, endpoint_id)
            .bind(4, item.lease_until_ms > 0 ? item.lease_until_ms : item.first_attempt_ms)
            .bind(5, item.first_attempt_ms)
            .run();
        delivery_ids.push_back(db.last_insert_rowid());
      }
      if (!item.object_id.empty()) {
        Query(db,
              "INSERT INTO objects (object_id, account_id, livemode, object_type, json) "
              "VALUES (?, ?, ?, ?, ?) ON CONFLICT (object_id) DO UPDATE SET "
              "account_id = excluded.account_id, livemode = excluded.livemode, "
              "object_type = excluded.object_type, json = excluded.json")
            .bind(1, item.object_id)
            .bind(2, event.account_id)
            .bind(3, event.livemode)
            .bind(4, item.object_type)
            .bind(5, item.object_json)
            .run();
      }
      if (item.idempotent) keep_idempotent(db, *item.idempotent);
    }
  });
  pending_deliveries_ += static_cast<int64_t>(delivery_ids.size());
  return delivery_ids;
}

std::optional<StoredEvent> SqliteStore::get_event(const std::string& id) {
  return read([&](SqliteConnection& db) -> std::optional<StoredEvent> {
    Query query(db, "SELECT " + event_columns() + " FROM " + kEventsWithBody + " WHERE id = ?");
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    return read_event(query);
  });
}

Page<StoredEvent> SqliteStore::list_events(const EventFilter& filter, const PageRequest& page) {
  const PageQuery query = event_list_query(filter);
  return read([&](SqliteConnection& db) {
    return read_page<StoredEvent>(
        db, query, page, [](const Query& row) { return read_event(row); },
        [](const StoredEvent& event) { return event.body.size(); });
  });
}

int64_t SqliteStore::add_manual_delivery(const std::string& event_id,
                                         const std::string& endpoint_id, int64_t due_ms) {
  const int64_t id = write(Durability::kFull, [&](SqliteConnection& db) -> int64_t {
    Query(db,
          "INSERT INTO deliveries (event_id, event_seq, endpoint_id, state, manual, "
          "attempt_count, next_attempt_ms, created_ms, last_http_status, last_error) "
          "SELECT id, seq, ?, 'pending', 1, 0, ?, ?, 0, '' FROM events WHERE id = ?")
        .bind(1, endpoint_id)
        .bind(2, due_ms)
        .bind(3, due_ms)
        .bind(4, event_id)
        .run();
    return db.changes() > 0 ? db.last_insert_rowid() : 0;
  });
  if (id != 0) ++pending_deliveries_;
  return id;
}

const std::string& deliveries_of_event_sql() {
  static const std::string sql =
      "SELECT " + delivery_columns() +
      " FROM deliveries WHERE event_seq = (SELECT seq FROM events WHERE id = ?) ORDER BY id";
  return sql;
}

std::vector<Delivery> SqliteStore::list_deliveries(const std::string& event_id) {
  return read([&](SqliteConnection& db) {
    std::vector<Delivery> deliveries;
    Query query(db, deliveries_of_event_sql());
    query.bind(1, event_id);
    while (query.step()) {
      Delivery delivery = read_delivery(query);
      // A claimed delivery is not due before its lease ends, as if the row said so.
      if (const std::optional<int64_t> lease_end = leases_->end_of(delivery.id);
          lease_end && delivery.state == DeliveryState::kPending) {
        delivery.next_attempt_ms = std::max(delivery.next_attempt_ms, *lease_end);
      }
      deliveries.push_back(std::move(delivery));
    }
    return deliveries;
  });
}

std::optional<StoredObject> SqliteStore::get_object(const std::string& object_id) {
  return read([&](SqliteConnection& db) -> std::optional<StoredObject> {
    Query query(db,
                "SELECT account_id, livemode, object_type, object_id, json FROM objects "
                "WHERE object_id = ?");
    query.bind(1, object_id);
    if (!query.step()) return std::nullopt;
    return StoredObject{query.text(0), query.boolean(1), query.text(2), query.text(3),
                        query.text(4)};
  });
}

}  // namespace hookline::sqlite
