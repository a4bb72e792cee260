// PostgresStore: events, their deliveries and the objects they carry.
//
// A batch of events (the group commit's) is written with one multi-row INSERT
// per table (per chunk of kRowsPerStatement rows), not one per row: a few
// round trips per batch, then one durable COMMIT (synchronous_commit on).
#include <algorithm>
#include <unordered_map>

#include "store/postgres/pg_endpoint_ceiling.hpp"
#include "store/postgres/pg_literals.hpp"
#include "store/postgres/pg_pagination.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/pg_store_impl.hpp"

namespace hookline::postgres {

namespace {

// Rows per multi-row INSERT: keeps a statement's parameters (at most 65535)
// and its size bounded.
constexpr std::size_t kRowsPerStatement = 1000;

}  // namespace

std::vector<int64_t> PostgresStore::insert_events(const std::vector<NewEvent>& events) {
  return insert_events_within_ceiling(events, 0).ids;
}

Store::InsertedDeliveries PostgresStore::insert_events_within_ceiling(
    const std::vector<NewEvent>& events, std::size_t per_endpoint) {
  if (events.empty()) return {};
  return write(Durability::kFull, [&](PgConnection& db) {
    // First: the endpoints' locks (pg_endpoint_ceiling.hpp), before this
    // transaction holds anything another one could wait for.
    std::vector<bool> leased = lease_within_ceiling(db, events, per_endpoint);
    const std::vector<int64_t> event_seqs = insert_event_rows(db, events);
    std::vector<int64_t> delivery_ids = insert_delivery_rows(db, events, event_seqs, leased);
    upsert_objects(db, events);
    for (const NewEvent& item : events) {
      if (item.idempotent) keep_idempotent(db, *item.idempotent);
    }
    // Deliveries inserted leased are this node's already; due ones are anyone's.
    if (std::find(leased.begin(), leased.end(), false) != leased.end()) {
      notify_deliveries_due(db);
    }
    return InsertedDeliveries{std::move(delivery_ids), std::move(leased)};
  });
}

std::vector<int64_t> PostgresStore::insert_event_rows(PgConnection& db,
                                                      const std::vector<NewEvent>& events) {
  std::unordered_map<std::string, int64_t> seq_of;
  for (std::size_t begin = 0; begin < events.size(); begin += kRowsPerStatement) {
    const std::size_t count = std::min(kRowsPerStatement, events.size() - begin);
    Query insert(db,
                 "INSERT INTO events (id, account_id, livemode, type, created, pending_webhooks) "
                 "VALUES " +
                     values_list(count, "(?, ?, ?, ?, ?, ?)") + " RETURNING id, seq");
    for (std::size_t i = begin; i < begin + count; ++i) {
      const StoredEvent& event = events[i].event;
      const int base = static_cast<int>(i - begin) * 6 + 1;
      insert.bind(base, event.id)
          .bind(base + 1, event.account_id)
          .bind(base + 2, event.livemode)
          .bind(base + 3, event.type)
          .bind(base + 4, event.created)
          .bind(base + 5, static_cast<int64_t>(events[i].endpoint_ids.size()));
    }
    insert.run();
    for (int row = 0; row < insert.rows(); ++row) {
      seq_of[insert.text(row, 0)] = insert.int64(row, 1);
    }
  }
  std::vector<int64_t> seqs;
  seqs.reserve(events.size());
  for (const NewEvent& item : events) seqs.push_back(seq_of.at(item.event.id));
  insert_event_bodies(db, events, seqs);
  return seqs;
}

void PostgresStore::insert_event_bodies(PgConnection& db, const std::vector<NewEvent>& events,
                                        const std::vector<int64_t>& event_seqs) {
  for (std::size_t begin = 0; begin < events.size(); begin += kRowsPerStatement) {
    const std::size_t count = std::min(kRowsPerStatement, events.size() - begin);
    Query insert(
        db, "INSERT INTO event_bodies (event_seq, body) VALUES " + values_list(count, "(?, ?)"));
    for (std::size_t i = begin; i < begin + count; ++i) {
      const int base = static_cast<int>(i - begin) * 2 + 1;
      insert.bind(base, event_seqs[i]).bind(base + 1, events[i].event.body);
    }
    insert.run();
  }
}

std::vector<int64_t> PostgresStore::insert_delivery_rows(PgConnection& db,
                                                         const std::vector<NewEvent>& events,
                                                         const std::vector<int64_t>& event_seqs,
                                                         const std::vector<bool>& leased) {
  struct Row {
    const NewEvent* item;
    int64_t event_seq;
    const std::string* endpoint_id;
    bool leased;
  };
  std::vector<Row> rows;
  for (std::size_t i = 0; i < events.size(); ++i) {
    for (const std::string& endpoint_id : events[i].endpoint_ids) {
      rows.push_back({&events[i], event_seqs[i], &endpoint_id, leased[rows.size()]});
    }
  }
  std::vector<int64_t> ids;
  ids.reserve(rows.size());
  for (std::size_t begin = 0; begin < rows.size(); begin += kRowsPerStatement) {
    const std::size_t count = std::min(kRowsPerStatement, rows.size() - begin);
    Query insert(db,
                 "INSERT INTO deliveries (event_id, event_seq, endpoint_id, state, manual, "
                 "attempt_count, next_attempt_ms, created_ms, last_http_status, last_error, "
                 "lease_until_ms) VALUES " +
                     values_list(count, "(?, ?, ?, 'pending', 0, 0, ?, ?, 0, '', ?)") +
                     " RETURNING id");
    for (std::size_t i = begin; i < begin + count; ++i) {
      const NewEvent& item = *rows[i].item;
      const int base = static_cast<int>(i - begin) * 6 + 1;
      const int64_t lease_until_ms = rows[i].leased ? item.lease_until_ms : 0;
      insert.bind(base, item.event.id)
          .bind(base + 1, rows[i].event_seq)
          .bind(base + 2, *rows[i].endpoint_id)
          .bind(base + 3, lease_until_ms > 0 ? lease_until_ms : item.first_attempt_ms)
          .bind(base + 4, item.first_attempt_ms)
          .bind(base + 5, lease_until_ms);
    }
    insert.run();
    // Identity values are drawn row after row in VALUES order, so ascending
    // ids are the rows in order (RETURNING itself promises no order).
    std::vector<int64_t> chunk;
    for (int row = 0; row < insert.rows(); ++row) chunk.push_back(insert.int64(row, 0));
    std::sort(chunk.begin(), chunk.end());
    ids.insert(ids.end(), chunk.begin(), chunk.end());
  }
  return ids;
}

void PostgresStore::upsert_objects(PgConnection& db, const std::vector<NewEvent>& events) {
  // One row per object: the batch's latest state of it (an upsert may not
  // touch one row twice).
  std::vector<const NewEvent*> latest;
  std::unordered_map<std::string, std::size_t> index_of;
  for (const NewEvent& item : events) {
    if (item.object_id.empty()) continue;
    auto [found, inserted] = index_of.emplace(item.object_id, latest.size());
    if (inserted) {
      latest.push_back(&item);
    } else {
      latest[found->second] = &item;
    }
  }
  for (std::size_t begin = 0; begin < latest.size(); begin += kRowsPerStatement) {
    const std::size_t count = std::min(kRowsPerStatement, latest.size() - begin);
    Query upsert(db,
                 "INSERT INTO objects (object_id, account_id, livemode, object_type, json) "
                 "VALUES " +
                     values_list(count, "(?, ?, ?, ?, ?)") +
                     " ON CONFLICT (object_id) DO UPDATE SET "
                     "account_id = excluded.account_id, livemode = excluded.livemode, "
                     "object_type = excluded.object_type, json = excluded.json");
    for (std::size_t i = begin; i < begin + count; ++i) {
      const NewEvent& item = *latest[i];
      const int base = static_cast<int>(i - begin) * 5 + 1;
      upsert.bind(base, item.object_id)
          .bind(base + 1, item.event.account_id)
          .bind(base + 2, item.event.livemode)
          .bind(base + 3, item.object_type)
          .bind(base + 4, item.object_json);
    }
    upsert.run();
  }
}

std::optional<StoredEvent> PostgresStore::get_event(const std::string& id) {
  return read([&](PgConnection& db) -> std::optional<StoredEvent> {
    Query query(db, "SELECT " + event_columns() + " FROM " + kEventsWithBody + " WHERE id = ?");
    query.bind(1, id).run();
    if (query.rows() == 0) return std::nullopt;
    return read_event(query, 0);
  });
}

Page<StoredEvent> PostgresStore::list_events(const EventFilter& filter, const PageRequest& page) {
  const PageQuery query = event_list_query(filter);
  return read([&](PgConnection& db) {
    return read_page<StoredEvent>(
        db, query, page, [](const Query& rows, int row) { return read_event(rows, row); },
        [](const StoredEvent& event) { return event.body.size(); });
  });
}

int64_t PostgresStore::add_manual_delivery(const std::string& event_id,
                                           const std::string& endpoint_id, int64_t due_ms) {
  return write(Durability::kFull, [&](PgConnection& db) -> int64_t {
    Query insert(db,
                 "INSERT INTO deliveries (event_id, event_seq, endpoint_id, state, manual, "
                 "attempt_count, next_attempt_ms, created_ms, last_http_status, last_error) "
                 "SELECT id, seq, ?, 'pending', 1, 0, ?, ?, 0, '' FROM events WHERE id = ? "
                 "RETURNING id");
    insert.bind(1, endpoint_id).bind(2, due_ms).bind(3, due_ms).bind(4, event_id).run();
    if (insert.rows() == 0) return 0;
    notify_deliveries_due(db);
    return insert.int64(0, 0);
  });
}

std::vector<Delivery> PostgresStore::list_deliveries(const std::string& event_id) {
  return read([&](PgConnection& db) {
    std::vector<Delivery> deliveries;
    Query query(db, "SELECT " + delivery_columns() +
                        " FROM deliveries WHERE event_seq = (SELECT seq FROM events WHERE id = ?)"
                        " ORDER BY id");
    query.bind(1, event_id).run();
    for (int row = 0; row < query.rows(); ++row) deliveries.push_back(read_delivery(query, row));
    return deliveries;
  });
}

std::optional<StoredObject> PostgresStore::get_object(const std::string& object_id) {
  return read([&](PgConnection& db) -> std::optional<StoredObject> {
    Query query(db,
                "SELECT account_id, livemode, object_type, object_id, json FROM objects "
                "WHERE object_id = ?");
    query.bind(1, object_id).run();
    if (query.rows() == 0) return std::nullopt;
    return StoredObject{query.text(0, 0), query.boolean(0, 1), query.text(0, 2), query.text(0, 3),
                        query.text(0, 4)};
  });
}

}  // namespace hookline::postgres
