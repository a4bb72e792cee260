#include "store/postgres/pg_schema.hpp"

#include <chrono>
#include <string>
#include <vector>

#include "store/attempt_hours.hpp"
#include "store/store.hpp"

namespace hookline::postgres {

namespace {

// Any constant shared by every node: the lock that serializes migrations.
constexpr const char* kMigrationLock = "SELECT pg_advisory_lock(7420110001)";
constexpr const char* kMigrationUnlock = "SELECT pg_advisory_unlock(7420110001)";

// Migration N (1-based) brings the schema from version N-1 to N. Append only:
// never edit a migration that has shipped. Same tables and columns as
// sqlite_schema.cpp; `seq`/`id` are identities (SQLite's INTEGER PRIMARY KEY),
// bytes that need not be text are bytea.
const std::vector<std::string>& migrations() {
  static const std::vector<std::string> all = {
      // 1: the initial schema.
      R"sql(
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE accounts (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  platform_controls INTEGER NOT NULL,
  connected_live INTEGER NOT NULL,
  connected_test INTEGER NOT NULL,
  deauthorized INTEGER NOT NULL,
  created BIGINT NOT NULL,
  object_json TEXT NOT NULL
);
CREATE INDEX accounts_by_created ON accounts (created, seq);

CREATE TABLE webhook_endpoints (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  account_id TEXT NOT NULL,
  connect INTEGER NOT NULL,
  livemode INTEGER NOT NULL,
  url TEXT NOT NULL,
  enabled_events TEXT NOT NULL,
  status TEXT NOT NULL,
  listen_session INTEGER NOT NULL,
  api_version TEXT NOT NULL,
  description TEXT NOT NULL,
  metadata_json TEXT NOT NULL,
  secrets TEXT NOT NULL,
  created BIGINT NOT NULL,
  failing_since_ms BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_by_account ON webhook_endpoints (account_id, created, seq);
CREATE INDEX webhook_endpoints_by_connect ON webhook_endpoints (connect);

CREATE TABLE events (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  account_id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  type TEXT NOT NULL,
  created BIGINT NOT NULL,
  pending_webhooks INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX events_by_account ON events (account_id, livemode, created, seq);
CREATE INDEX events_by_created ON events (created);

CREATE TABLE deliveries (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id TEXT NOT NULL,
  event_seq BIGINT NOT NULL,
  endpoint_id TEXT NOT NULL,
  state TEXT NOT NULL,
  manual INTEGER NOT NULL,
  attempt_count INTEGER NOT NULL,
  next_attempt_ms BIGINT NOT NULL,
  created_ms BIGINT NOT NULL,
  last_http_status INTEGER NOT NULL,
  last_error TEXT NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_ms);
CREATE INDEX deliveries_by_event ON deliveries (event_seq);

CREATE TABLE attempts (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id BIGINT NOT NULL,
  event_id TEXT NOT NULL,
  endpoint_id TEXT NOT NULL,
  at_ms BIGINT NOT NULL,
  http_status INTEGER NOT NULL,
  error TEXT NOT NULL,
  latency_us BIGINT NOT NULL,
  response_excerpt BYTEA NOT NULL,
  success INTEGER NOT NULL
);
CREATE INDEX attempts_by_event ON attempts (event_id, at_ms, id);
CREATE INDEX attempts_by_endpoint ON attempts (endpoint_id, at_ms, id);

CREATE TABLE objects (
  object_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  object_type TEXT NOT NULL,
  json TEXT NOT NULL
);

CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body BYTEA NOT NULL,
  created_ms BIGINT NOT NULL,
  PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX idempotency_keys_by_created ON idempotency_keys (created_ms);
)sql",
      // 2: what nodes sharing the database coordinate (pg_cluster.cpp): which
      // node holds each listen session's endpoints, and each delivery's lease
      // (0: none) so that a claim counts an endpoint's deliveries in flight.
      R"sql(
ALTER TABLE deliveries ADD COLUMN lease_until_ms BIGINT NOT NULL DEFAULT 0;
CREATE INDEX deliveries_leased ON deliveries (endpoint_id) WHERE lease_until_ms > 0;

CREATE TABLE listen_holders (
  endpoint_id TEXT PRIMARY KEY,
  node_id TEXT NOT NULL,
  alive_until_ms BIGINT NOT NULL
);
CREATE INDEX listen_holders_by_node ON listen_holders (node_id);
)sql",
      // 3: GET /v1/webhook_stats reads an endpoint's attempts of a time window
      // (latency and outcome) from this index alone, without the table's rows.
      R"sql(
CREATE INDEX attempts_for_stats ON attempts (endpoint_id, at_ms, latency_us, success);
)sql",
      // 4: event bodies in their own table, as in sqlite_schema.cpp (3): a
      // pending_webhooks decrement writes a new events tuple, which carried
      // the ~1 KiB body along. (DROP COLUMN does not rewrite the table: old
      // tuples keep their bytes until they are next updated or vacuumed.)
      R"sql(
CREATE TABLE event_bodies (
  event_seq BIGINT PRIMARY KEY,
  body TEXT NOT NULL
);
INSERT INTO event_bodies (event_seq, body) SELECT seq, body FROM events;
ALTER TABLE events DROP COLUMN body;
)sql",
      // 5: an endpoint's attempts filtered by event type (GET
      // /v1/webhook_endpoints/{id}/attempts?type=…) from an index: the attempt
      // carries its event's type (the dispatcher writes it; a trigger fills it in for a
      // writer that leaves it empty); and the hourly rollup of attempts that
      // GET /v1/webhook_stats?window=day reads (store/attempt_hours.hpp).
      std::string(R"sql(
ALTER TABLE attempts ADD COLUMN event_type TEXT NOT NULL DEFAULT '';
UPDATE attempts SET event_type = events.type FROM events WHERE events.id = attempts.event_id;
CREATE INDEX attempts_by_endpoint_type ON attempts (endpoint_id, event_type, at_ms, id);
CREATE FUNCTION attempts_event_type() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.event_type = '' THEN
    NEW.event_type := COALESCE((SELECT type FROM events WHERE id = NEW.event_id), '');
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER attempts_event_type BEFORE INSERT ON attempts
  FOR EACH ROW WHEN (NEW.event_type = '') EXECUTE FUNCTION attempts_event_type();

CREATE TABLE attempt_hours (
  endpoint_id TEXT NOT NULL,
  hour_ms BIGINT NOT NULL,
  latency_class BIGINT NOT NULL,
  attempts BIGINT NOT NULL,
  succeeded BIGINT NOT NULL,
  PRIMARY KEY (endpoint_id, hour_ms, latency_class)
);
)sql") + attempt_hours_backfill_sql() + ";",
      // 6: the routing generation (pg_routing_generation.hpp): one row that
      // every committed write to accounts or to an endpoint's routing moves, so
      // that a node keeps the routing candidates it read while it stays put.
      // The triggers are deferred to the commit: the row is locked last in
      // its transaction, after every row the transaction writes (no lock
      // cycle between two writers), and for the shortest time. An outcome
      // batch's failing_since_ms does not route anything and does not move it.
      R"sql(
CREATE TABLE routing_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  generation BIGINT NOT NULL
);
INSERT INTO routing_generation (id, generation) VALUES (1, 1);
CREATE FUNCTION move_routing_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE routing_generation SET generation = generation + 1 WHERE id = 1;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER accounts_routing_generation
  AFTER INSERT OR UPDATE OR DELETE ON accounts DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION move_routing_generation();
CREATE CONSTRAINT TRIGGER webhook_endpoints_routing_generation
  AFTER INSERT OR DELETE ON webhook_endpoints DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION move_routing_generation();
CREATE CONSTRAINT TRIGGER webhook_endpoints_routing_generation_update
  AFTER UPDATE ON webhook_endpoints DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'failing_since_ms') IS DISTINCT FROM (to_jsonb(NEW) - 'failing_since_ms'))
  EXECUTE FUNCTION move_routing_generation();
CREATE TRIGGER accounts_truncate_routing_generation AFTER TRUNCATE ON accounts
  FOR EACH STATEMENT EXECUTE FUNCTION move_routing_generation();
CREATE TRIGGER webhook_endpoints_truncate_routing_generation AFTER TRUNCATE ON webhook_endpoints
  FOR EACH STATEMENT EXECUTE FUNCTION move_routing_generation();
)sql",
  };
  return all;
}

int read_version(PgConnection& connection) {
  Query query(connection, "SELECT MAX(version) FROM schema_version");
  query.run();
  if (query.rows() == 0 || query.is_null(0, 0)) return 0;
  return query.integer(0, 0);
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int current_schema_version() { return static_cast<int>(migrations().size()); }

void migrate(PgConnection& connection) { migrate(connection, current_schema_version()); }

void migrate(PgConnection& connection, int target_version) {
  connection.exec(kMigrationLock);
  try {
    connection.exec(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_ms BIGINT "
        "NOT NULL)");
    for (;;) {
      Transaction transaction(connection, Durability::kFull);
      const int version = read_version(connection);
      if (version > current_schema_version()) {
        throw StoreError("postgres: the database has schema version " + std::to_string(version) +
                         ", newer than this build's " + std::to_string(current_schema_version()) +
                         ": upgrade hookline before running it against this database");
      }
      if (version >= target_version) break;  // rolls back: nothing to do
      connection.exec(migrations()[static_cast<std::size_t>(version)]);
      Query(connection, "INSERT INTO schema_version (version, applied_ms) VALUES (?, ?)")
          .bind(1, version + 1)
          .bind(2, now_ms())
          .run();
      transaction.commit();
    }
  } catch (...) {
    if (connection.healthy()) connection.exec(kMigrationUnlock);
    throw;
  }
  connection.exec(kMigrationUnlock);
}

}  // namespace hookline::postgres
