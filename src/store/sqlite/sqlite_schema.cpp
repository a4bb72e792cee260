#include "store/sqlite/sqlite_schema.hpp"

#include <chrono>
#include <string>
#include <vector>

#include "store/attempt_hours.hpp"
#include "store/store.hpp"

namespace hookline::sqlite {

namespace {

// Migration N (1-based) brings the schema from version N-1 to N. Append only:
// never edit a migration that has shipped.
const std::vector<std::string>& migrations() {
  static const std::vector<std::string> all = {
      // 1: the initial schema.
      R"sql(
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE accounts (
  seq INTEGER PRIMARY KEY,
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
  seq INTEGER PRIMARY KEY,
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
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  account_id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  type TEXT NOT NULL,
  created BIGINT NOT NULL,
  pending_webhooks INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX events_by_account ON events (account_id, livemode, created, seq);
CREATE INDEX events_by_created ON events (created);

CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY,
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
  id INTEGER PRIMARY KEY,
  delivery_id BIGINT NOT NULL,
  event_id TEXT NOT NULL,
  endpoint_id TEXT NOT NULL,
  at_ms BIGINT NOT NULL,
  http_status INTEGER NOT NULL,
  error TEXT NOT NULL,
  latency_us BIGINT NOT NULL,
  response_excerpt BLOB NOT NULL,
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
  body BLOB NOT NULL,
  created_ms BIGINT NOT NULL,
  PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX idempotency_keys_by_created ON idempotency_keys (created_ms);
)sql",
      // 2: GET /v1/webhook_stats reads an endpoint's attempts of a time window
      // (latency and outcome) from this index alone, without the table's rows.
      R"sql(
CREATE INDEX attempts_for_stats ON attempts (endpoint_id, at_ms, latency_us, success);
)sql",
      // 3: event bodies in their own table, keyed by the event's seq: each
      // outcome decrements events.pending_webhooks, and with the ~1 KiB body
      // inline every decrement rewrote a page holding three or four bodies.
      // DROP COLUMN rewrites events, so its pages come out dense.
      R"sql(
CREATE TABLE event_bodies (
  event_seq INTEGER PRIMARY KEY,
  body BLOB NOT NULL
);
INSERT INTO event_bodies (event_seq, body) SELECT seq, body FROM events;
ALTER TABLE events DROP COLUMN body;
)sql",
      // 4: an endpoint's attempts filtered by event type (GET
      // /v1/webhook_endpoints/{id}/attempts?type=…) from an index: the attempt
      // carries its event's type (the dispatcher writes it; a trigger fills it in for a
      // writer that leaves it empty); and the hourly rollup of attempts that
      // GET /v1/webhook_stats?window=day reads (store/attempt_hours.hpp).
      std::string(R"sql(
ALTER TABLE attempts ADD COLUMN event_type TEXT NOT NULL DEFAULT '';
UPDATE attempts SET event_type = COALESCE((SELECT type FROM events WHERE events.id = attempts.event_id), '');
CREATE INDEX attempts_by_endpoint_type ON attempts (endpoint_id, event_type, at_ms, id);
CREATE TRIGGER attempts_event_type AFTER INSERT ON attempts WHEN NEW.event_type = '' BEGIN
  UPDATE attempts SET event_type = COALESCE((SELECT type FROM events WHERE id = NEW.event_id), '')
  WHERE id = NEW.id;
END;

CREATE TABLE attempt_hours (
  endpoint_id TEXT NOT NULL,
  hour_ms BIGINT NOT NULL,
  latency_class BIGINT NOT NULL,
  attempts BIGINT NOT NULL,
  succeeded BIGINT NOT NULL,
  PRIMARY KEY (endpoint_id, hour_ms, latency_class)
) WITHOUT ROWID;
)sql") + attempt_hours_backfill_sql() + ";",
      // 5: fewer index pages written per event and per attempt. deliveries_due
      // holds pending rows only (what the claim and the next due time read), so
      // an outcome that settles a delivery deletes its entry instead of moving
      // it. An event's attempts are found through its deliveries: an index keyed
      // by delivery id takes each insert near its end, where one keyed by the
      // random event id took a leaf page anywhere. One endpoint index serves
      // the attempts list (endpoint_id, at_ms, id) and covers the stats
      // (latency_us, success), in place of two.
      R"sql(
DROP INDEX deliveries_due;
CREATE INDEX deliveries_due ON deliveries (next_attempt_ms) WHERE state = 'pending';
DROP INDEX attempts_by_event;
CREATE INDEX attempts_by_delivery ON attempts (delivery_id);
DROP INDEX attempts_by_endpoint;
DROP INDEX attempts_for_stats;
CREATE INDEX attempts_by_endpoint ON attempts (endpoint_id, at_ms, id, latency_us, success);
)sql",
  };
  return all;
}

int read_version(SqliteConnection& connection) {
  Query query(connection, "SELECT MAX(version) FROM schema_version");
  if (!query.step() || query.is_null(0)) return 0;
  return query.integer(0);
}

}  // namespace

int current_schema_version() { return static_cast<int>(migrations().size()); }

void migrate(SqliteConnection& connection) { migrate(connection, current_schema_version()); }

void migrate(SqliteConnection& connection, int target_version) {
  // WAL is persistent in the file; readers never block the writer nor the reverse.
  connection.exec("PRAGMA journal_mode=WAL");
  connection.exec(
      "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_ms BIGINT NOT "
      "NULL)");
  for (;;) {
    Transaction transaction(connection, Durability::kFull);
    const int version = read_version(connection);
    if (version > current_schema_version()) {
      throw StoreError("sqlite: the database has schema version " + std::to_string(version) +
                       ", newer than this build's " + std::to_string(current_schema_version()));
    }
    if (version >= target_version) return;  // the transaction rolls back: nothing to do
    connection.exec(migrations()[static_cast<std::size_t>(version)]);
    Query(connection, "INSERT INTO schema_version (version, applied_ms) VALUES (?, ?)")
        .bind(1, version + 1)
        .bind(2, static_cast<int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count()))
        .run();
    transaction.commit();
  }
}

}  // namespace hookline::sqlite
