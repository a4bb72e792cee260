// PostgresStore: opening, settings, accounts and webhook endpoints.
#include "store/postgres/pg_store.hpp"

#include <libpq-fe.h>

#include "core/ids.hpp"
#include "store/postgres/pg_pagination.hpp"
#include "store/postgres/pg_rows.hpp"
#include "store/postgres/pg_schema.hpp"
#include "store/postgres/pg_store_impl.hpp"

namespace hookline {

std::unique_ptr<Store> open_postgres_store(const PostgresOptions& options) {
  if (options.conninfo.empty()) throw StoreError("postgres: a connection string is required");
  return std::make_unique<postgres::PostgresStore>(options);
}

std::string describe_postgres_location(const std::string& conninfo) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    std::string message = error != nullptr ? error : "cannot parse it";
    if (error != nullptr) PQfreemem(error);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw StoreError("postgres: bad connection string: " + message);
  }
  std::string out;
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    const std::string keyword = option->keyword;
    if (option->val == nullptr || *option->val == '\0') continue;
    if (keyword != "host" && keyword != "hostaddr" && keyword != "port" && keyword != "dbname" &&
        keyword != "user") {
      continue;
    }
    if (!out.empty()) out += ' ';
    out += keyword + "=" + option->val;
  }
  PQconninfoFree(options);
  return out.empty() ? "(libpq defaults)" : out;
}

namespace postgres {

PostgresStore::PostgresStore(const PostgresOptions& options)
    : conninfo_(options.conninfo),
      node_id_(new_id("node")),
      pool_(options.conninfo, options.max_connections),
      pending_gauge_max_age_ms_(options.pending_gauge_max_age_ms),
      routing_generation_([this] {
        return read([](PgConnection& db) {
          Query query(db, "SELECT generation FROM routing_generation WHERE id = 1");
          query.run();
          return static_cast<uint64_t>(query.int64(0, 0));
        });
      }) {
  {
    auto lease = pool_.acquire();
    migrate(*lease);
  }
  renewer_ = std::make_unique<HoldRenewer>([this] { renew_listen_holds(); });
}

void PostgresStore::on_deliveries_due(std::function<void()> wake) {
  listener_.reset();  // its thread stops before the new one starts
  if (wake) listener_ = std::make_unique<DueListener>(conninfo_, std::move(wake));
}

// --- settings

std::optional<std::string> PostgresStore::get_setting(const std::string& name) {
  return read([&](PgConnection& db) -> std::optional<std::string> {
    Query query(db, "SELECT value FROM settings WHERE name = ?");
    query.bind(1, name).run();
    if (query.rows() == 0) return std::nullopt;
    return query.text(0, 0);
  });
}

void PostgresStore::put_setting(const std::string& name, const std::string& value) {
  write(Durability::kFull, [&](PgConnection& db) {
    Query(db,
          "INSERT INTO settings (name, value) VALUES (?, ?) "
          "ON CONFLICT (name) DO UPDATE SET value = excluded.value")
        .bind(1, name)
        .bind(2, value)
        .run();
  });
}

std::string PostgresStore::put_setting_if_absent(const std::string& name,
                                                 const std::string& value) {
  return write(Durability::kFull, [&](PgConnection& db) {
    // A concurrent insert of the same name waits for the other to commit, then
    // does nothing; the SELECT (a new snapshot) sees the committed value.
    Query(db, "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")
        .bind(1, name)
        .bind(2, value)
        .run();
    Query kept(db, "SELECT value FROM settings WHERE name = ?");
    kept.bind(1, name).run();
    return kept.text(0, 0);
  });
}

// --- readiness (as SqliteStore::probe)

void PostgresStore::probe() {
  try {
    read([&](PgConnection& db) { Query(db, "SELECT COUNT(*) FROM settings").run(); });
  } catch (const StoreError& error) {
    throw StoreError(std::string("the store cannot be read: ") + error.what());
  }
  try {
    write(Durability::kFull, [&](PgConnection& db) {
      Query(db,
            "INSERT INTO settings (name, value) VALUES ('readiness_probe', ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value")
          .bind(1, std::to_string(++probes_))
          .run();
    });
  } catch (const StoreError& error) {
    throw StoreError(std::string("the store cannot commit: ") + error.what());
  }
}

// --- accounts

void PostgresStore::put_account(const Account& account) {
  write(Durability::kFull, [&](PgConnection& db) {
    Query(db, "INSERT INTO accounts (" + account_columns() +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (id) DO UPDATE SET type = excluded.type, "
                  "platform_controls = excluded.platform_controls, "
                  "connected_live = excluded.connected_live, "
                  "connected_test = excluded.connected_test, deauthorized = excluded.deauthorized, "
                  "created = excluded.created, object_json = excluded.object_json")
        .bind(1, account.id)
        .bind(2, std::string(to_string(account.type)))
        .bind(3, account.platform_controls)
        .bind(4, account.connected_live)
        .bind(5, account.connected_test)
        .bind(6, account.deauthorized)
        .bind(7, account.created)
        .bind(8, account.object_json)
        .run();
  });
}

std::optional<Account> PostgresStore::get_account(const std::string& id) {
  return read([&](PgConnection& db) -> std::optional<Account> {
    Query query(db, "SELECT " + account_columns() + " FROM accounts WHERE id = ?");
    query.bind(1, id).run();
    if (query.rows() == 0) return std::nullopt;
    return read_account(query, 0);
  });
}

Page<Account> PostgresStore::list_accounts(const PageRequest& page) {
  PageQuery query;
  query.select = "SELECT " + account_columns() + " FROM accounts";
  query.where = "type <> 'platform'";
  query.order = "created, seq";
  query.cursor_lookup = "SELECT created, seq FROM accounts WHERE id = ?";
  return read([&](PgConnection& db) {
    return read_page<Account>(db, query, page,
                              [](const Query& rows, int row) { return read_account(rows, row); });
  });
}

bool PostgresStore::delete_account(const std::string& id) {
  return write(Durability::kFull, [&](PgConnection& db) {
    return Query(db, "DELETE FROM accounts WHERE id = ?").bind(1, id).run().changes() > 0;
  });
}

// --- webhook endpoints

void PostgresStore::put_endpoint(const WebhookEndpoint& endpoint) {
  write(Durability::kFull, [&](PgConnection& db) {
    Query(db, "INSERT INTO webhook_endpoints (" + endpoint_columns() +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, "
                  "connect = excluded.connect, livemode = excluded.livemode, url = excluded.url, "
                  "enabled_events = excluded.enabled_events, status = excluded.status, "
                  "listen_session = excluded.listen_session, api_version = excluded.api_version, "
                  "description = excluded.description, metadata_json = excluded.metadata_json, "
                  "secrets = excluded.secrets, created = excluded.created, "
                  "failing_since_ms = excluded.failing_since_ms")
        .bind(1, endpoint.id)
        .bind(2, endpoint.account_id)
        .bind(3, endpoint.connect)
        .bind(4, endpoint.livemode)
        .bind(5, endpoint.url)
        .bind(6, enabled_events_to_json(endpoint.enabled_events))
        .bind(7, endpoint_status_text(endpoint.status))
        .bind(8, endpoint.listen_session)
        .bind(9, endpoint.api_version)
        .bind(10, endpoint.description)
        .bind(11, endpoint.metadata_json)
        .bind(12, secrets_to_json(endpoint.secrets))
        .bind(13, endpoint.created)
        .bind(14, endpoint.failing_since_ms)
        .run();
  });
}

std::optional<WebhookEndpoint> PostgresStore::get_endpoint(const std::string& id) {
  return read([&](PgConnection& db) -> std::optional<WebhookEndpoint> {
    Query query(db, "SELECT " + endpoint_columns() + " FROM webhook_endpoints WHERE id = ?");
    query.bind(1, id).run();
    if (query.rows() == 0) return std::nullopt;
    return read_endpoint(query, 0);
  });
}

Page<WebhookEndpoint> PostgresStore::list_endpoints(const std::string& account_id,
                                                    std::optional<bool> livemode,
                                                    const PageRequest& page) {
  PageQuery query;
  query.select = "SELECT " + endpoint_columns() + " FROM webhook_endpoints";
  query.where = "account_id = ? AND listen_session = 0";
  query.params.push_back(account_id);
  if (livemode) {
    query.where += " AND livemode = ?";
    query.params.push_back(int64_t{*livemode ? 1 : 0});
  }
  query.order = "created, seq";
  query.cursor_lookup = "SELECT created, seq FROM webhook_endpoints WHERE id = ?";
  return read([&](PgConnection& db) {
    return read_page<WebhookEndpoint>(
        db, query, page, [](const Query& rows, int row) { return read_endpoint(rows, row); });
  });
}

bool PostgresStore::delete_endpoint(const std::string& id) {
  return write(Durability::kFull, [&](PgConnection& db) {
    return Query(db, "DELETE FROM webhook_endpoints WHERE id = ?").bind(1, id).run().changes() >
           0;
  });
}

std::vector<WebhookEndpoint> PostgresStore::routing_candidates(const std::string& account_id) {
  return read([&](PgConnection& db) {
    std::vector<WebhookEndpoint> endpoints;
    Query query(db, "SELECT " + endpoint_columns() +
                        " FROM webhook_endpoints WHERE account_id = ? OR connect = 1 ORDER BY seq");
    query.bind(1, account_id).run();
    for (int row = 0; row < query.rows(); ++row) endpoints.push_back(read_endpoint(query, row));
    return endpoints;
  });
}

std::optional<uint64_t> PostgresStore::routing_generation() { return routing_generation_.get(); }

}  // namespace postgres
}  // namespace hookline
