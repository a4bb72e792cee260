// PostgresStore: events, their deliveries and the objects they carry.
//
// A batch of events (the group commit's) is written with ONE statement (per
// chunk of the batch): the events, their bodies, their deliveries and their
// objects, each table's rows passed as arrays (pg_arrays.hpp), so that its
// text is fixed and it is prepared once per connection; then one durable
// COMMIT (synchronous_commit on).
#include <algorithm>
#include <unordered_map>

#include "store/postgres/pg_arrays.hpp"
#include "store/postgres/pg_endpoint_ceiling.hpp"
#include "store/postgres/pg_pagination.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/pg_store_impl.hpp"

namespace hookline::postgres {

namespace {

// A chunk of a batch ends after this many events or body bytes, whichever
// comes first: an array parameter stays far below PostgreSQL's 1 GB.
constexpr std::size_t kEventsPerStatement = 1000;
constexpr std::size_t kBodyBytesPerStatement = 64 << 20;

// The rows of one chunk of events ($1–$7: the events and their bodies;
// $8–$12: the deliveries, each naming its event by ordinality in $1; $13–$17:
// the objects), inserted in one statement. Answers (event id, seq) per event,
// then (NULL, delivery id) per delivery. Identity values are drawn row after
// row in the order of the rows inserted, and the deliveries are inserted in
// their given order, so ascending delivery ids are that order (RETURNING
// itself promises no order).
const std::string& insert_batch_sql() {
  static const std::string sql =
      "WITH e AS (SELECT * FROM unnest(?::TEXT[], ?::TEXT[], ?::INTEGER[], ?::TEXT[],"
      "  ?::BIGINT[], ?::INTEGER[], ?::TEXT[]) WITH ORDINALITY"
      "  AS e(id, account_id, livemode, type, created, pending_webhooks, body, n)),"
      " ev AS (INSERT INTO events (id, account_id, livemode, type, created, pending_webhooks)"
      "  SELECT id, account_id, livemode, type, created, pending_webhooks FROM e ORDER BY n"
      "  RETURNING id, seq),"
      " b AS (INSERT INTO event_bodies (event_seq, body)"
      "  SELECT ev.seq, e.body FROM ev JOIN e ON e.id = ev.id),"
      " d AS (INSERT INTO deliveries (event_id, event_seq, endpoint_id, state, manual,"
      "  attempt_count, next_attempt_ms, created_ms, last_http_status, last_error,"
      "  lease_until_ms)"
      "  SELECT e.id, ev.seq, u.endpoint_id, 'pending', 0, 0, u.next_attempt_ms, u.created_ms,"
      "  0, '', u.lease_until_ms"
      "  FROM unnest(?::BIGINT[], ?::TEXT[], ?::BIGINT[], ?::BIGINT[], ?::BIGINT[])"
      "  WITH ORDINALITY AS u(event_n, endpoint_id, next_attempt_ms, created_ms,"
      "  lease_until_ms, k)"
      "  JOIN e ON e.n = u.event_n JOIN ev ON ev.id = e.id ORDER BY u.k"
      "  RETURNING id),"
      " o AS (INSERT INTO objects (object_id, account_id, livemode, object_type, json)"
      "  SELECT * FROM unnest(?::TEXT[], ?::TEXT[], ?::INTEGER[], ?::TEXT[], ?::TEXT[])"
      "  ON CONFLICT (object_id) DO UPDATE SET account_id = excluded.account_id,"
      "  livemode = excluded.livemode, object_type = excluded.object_type,"
      "  json = excluded.json)"
      " SELECT id, seq FROM ev UNION ALL SELECT NULL, id FROM d";
  return sql;
}

// One chunk's rows, column by column, for insert_batch_sql().
struct BatchColumns {
  std::vector<std::string_view> ids, account_ids, types, bodies;
  std::vector<int64_t> livemodes, created, pending;
  std::vector<int64_t> delivery_event, next_attempt, created_ms, lease_until;
  std::vector<std::string_view> endpoint_ids;
  std::vector<std::string_view> object_ids, object_accounts, object_types, object_json;
  std::vector<int64_t> object_livemodes;
};

}  // namespace

std::vector<int64_t> PostgresStore::insert_events(const std::vector<NewEvent>& events) {
  return insert_events_within_ceiling(events, 0).ids;
}

Store::InsertedDeliveries PostgresStore::insert_events_within_ceiling(
    const std::vector<NewEvent>& events, std::size_t per_endpoint) {
  if (events.empty()) return {};
  // Generic plans: the batch's statement has no range to plan for, and
  // planning its CTEs anew for each batch cost more than a batch of 1–3
  // events saves (bench/store/pg_insert_bench.cpp).
  return write(Durability::kFull, Plans::kGeneric, [&](PgConnection& db) {
    // First: the endpoints' locks (pg_endpoint_ceiling.hpp), before this
    // transaction holds anything another one could wait for.
    std::vector<bool> leased = lease_within_ceiling(db, events, per_endpoint);
    std::vector<int64_t> delivery_ids;
    std::size_t first_delivery = 0;
    for (std::size_t begin = 0; begin < events.size();) {
      std::size_t end = begin;
      std::size_t body_bytes = 0;
      std::size_t deliveries = 0;
      while (
          end < events.size() && end - begin < kEventsPerStatement &&
          (end == begin || body_bytes + events[end].event.body.size() <= kBodyBytesPerStatement)) {
        body_bytes += events[end].event.body.size();
        deliveries += events[end].endpoint_ids.size();
        ++end;
      }
      insert_batch_rows(db, events, begin, end, leased, first_delivery, delivery_ids);
      first_delivery += deliveries;
      begin = end;
    }
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

void PostgresStore::insert_batch_rows(PgConnection& db, const std::vector<NewEvent>& events,
                                      std::size_t begin, std::size_t end,
                                      const std::vector<bool>& leased, std::size_t first_delivery,
                                      std::vector<int64_t>& delivery_ids) {
  BatchColumns c;
  // One row per object: the chunk's latest state of it (an upsert may not
  // touch one row twice).
  std::unordered_map<std::string_view, std::size_t> object_index;
  std::size_t delivery = first_delivery;
  for (std::size_t i = begin; i < end; ++i) {
    const NewEvent& item = events[i];
    const StoredEvent& event = item.event;
    c.ids.push_back(event.id);
    c.account_ids.push_back(event.account_id);
    c.livemodes.push_back(event.livemode ? 1 : 0);
    c.types.push_back(event.type);
    c.created.push_back(event.created);
    c.pending.push_back(static_cast<int64_t>(item.endpoint_ids.size()));
    c.bodies.push_back(event.body);
    for (const std::string& endpoint_id : item.endpoint_ids) {
      const int64_t lease_until_ms = leased[delivery++] ? item.lease_until_ms : 0;
      c.delivery_event.push_back(static_cast<int64_t>(i - begin + 1));
      c.endpoint_ids.push_back(endpoint_id);
      c.next_attempt.push_back(lease_until_ms > 0 ? lease_until_ms : item.first_attempt_ms);
      c.created_ms.push_back(item.first_attempt_ms);
      c.lease_until.push_back(lease_until_ms);
    }
    if (item.object_id.empty()) continue;
    auto [found, inserted] = object_index.emplace(item.object_id, c.object_ids.size());
    if (inserted) {
      c.object_ids.push_back(item.object_id);
      c.object_accounts.push_back(event.account_id);
      c.object_livemodes.push_back(event.livemode ? 1 : 0);
      c.object_types.push_back(item.object_type);
      c.object_json.push_back(item.object_json);
    } else {
      const std::size_t at = found->second;
      c.object_accounts[at] = event.account_id;
      c.object_livemodes[at] = event.livemode ? 1 : 0;
      c.object_types[at] = item.object_type;
      c.object_json[at] = item.object_json;
    }
  }
  Query insert(db, insert_batch_sql());
  insert.bind(1, text_array(c.ids))
      .bind(2, text_array(c.account_ids))
      .bind(3, int_array(c.livemodes))
      .bind(4, text_array(c.types))
      .bind(5, int_array(c.created))
      .bind(6, int_array(c.pending))
      .bind(7, text_array(c.bodies))
      .bind(8, int_array(c.delivery_event))
      .bind(9, text_array(c.endpoint_ids))
      .bind(10, int_array(c.next_attempt))
      .bind(11, int_array(c.created_ms))
      .bind(12, int_array(c.lease_until))
      .bind(13, text_array(c.object_ids))
      .bind(14, text_array(c.object_accounts))
      .bind(15, int_array(c.object_livemodes))
      .bind(16, text_array(c.object_types))
      .bind(17, text_array(c.object_json))
      .run();
  const std::size_t count = end - begin;
  if (static_cast<std::size_t>(insert.rows()) != count + c.endpoint_ids.size()) {
    throw StoreError("postgres: a batch's insert answered " + std::to_string(insert.rows()) +
                     " rows for " + std::to_string(count) + " events and " +
                     std::to_string(c.endpoint_ids.size()) + " deliveries");
  }
  std::vector<int64_t> chunk;
  chunk.reserve(c.endpoint_ids.size());
  for (int row = 0; row < insert.rows(); ++row) {
    if (insert.is_null(row, 0)) chunk.push_back(insert.int64(row, 1));
  }
  std::sort(chunk.begin(), chunk.end());
  delivery_ids.insert(delivery_ids.end(), chunk.begin(), chunk.end());
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
