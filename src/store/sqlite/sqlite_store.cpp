// SqliteStore: opening, settings, accounts and webhook endpoints.
#include "store/sqlite/sqlite_store.hpp"

#include <spdlog/spdlog.h>

#include <sqlite3.h>

#include <filesystem>
#include <string_view>
#include <utility>

#include "store/sqlite/sqlite_integrity.hpp"
#include "store/sqlite/sqlite_pagination.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_schema.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace hookline {

std::unique_ptr<Store> open_sqlite_store(const std::string& path, SqliteStoreOptions options) {
  if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) {
    throw StoreError("sqlite: a file path is required, not '" + path + "'");
  }
  return std::make_unique<sqlite::SqliteStore>(path, std::move(options));
}

namespace sqlite {

namespace {
constexpr std::size_t kMaxIdleReaders = 16;
// The writer's page cache: the hot index pages stay in memory between commits.
constexpr const char* kWriterCacheSize = "PRAGMA cache_size=-65536";  // KiB: 64 MiB
// Checkpoint the WAL into the database from 16 MiB of WAL (4 KiB pages) instead
// of SQLite's 4 MiB, then every 4 MiB more: a page changed by many commits is
// copied back once. On a thread of its own (WalCheckpointer), not in the
// commit that crosses the mark. From 32 MiB each checkpoint ends with a short
// pass under the write mutex so that the WAL starts over; by the writer itself
// only past 64 MiB.
constexpr sqlite::WalCheckpointLimits kWalLimits{4096, 1024, 2 * 4096, 4 * 4096};
// Under space pressure, checkpoint (and truncate) once the WAL holds 1 MiB.
constexpr int kWalPressurePages = 256;
// A WAL that grew in a burst is cut back to this when it starts over after a
// checkpoint; otherwise the file keeps its largest size for good.
constexpr const char* kJournalSizeLimit = "PRAGMA journal_size_limit=67108864";  // 64 MiB

SpacePressure space_pressure(const std::string& path, SqliteStoreOptions options) {
  FreeSpaceProbe free_bytes = std::move(options.free_bytes);
  if (!free_bytes) {
    std::string directory = std::filesystem::path(path).parent_path().string();
    if (directory.empty()) directory = ".";
    free_bytes = [directory] { return available_bytes(directory); };
  }
  const uint64_t low = options.low_space_bytes;
  return SpacePressure{kWalPressurePages, [free_bytes = std::move(free_bytes), low] {
                         const std::optional<uint64_t> free = free_bytes();
                         return free.has_value() && *free < low;
                       }};
}
}  // namespace

SqliteStore::SqliteStore(const std::string& path, SqliteStoreOptions options)
    : writer_(path), readers_(path, kMaxIdleReaders) {
  if (!check_integrity(writer_, path, options.integrity_check_budget)) {
    spdlog::warn(
        "the integrity check of {} (PRAGMA quick_check) stopped after {} s and checked only part "
        "of the database; check it whole while the server is stopped: sqlite3 {} 'PRAGMA "
        "quick_check'",
        path, options.integrity_check_budget.count() / 1000, path);
  }
  migrate(writer_);
  writer_.exec(kWriterCacheSize);
  writer_.exec(kJournalSizeLimit);
  leases_ = DeliveryLeases::for_database(path);
  {
    Query count(writer_, "SELECT COUNT(*) FROM deliveries WHERE state = 'pending'");
    count.step();
    pending_deliveries_ = count.int64(0);
  }
  checkpointer_ =
      std::make_unique<WalCheckpointer>(path, kWalLimits, space_pressure(path, std::move(options)));
  checkpointer_->attach(writer_.handle(), &write_mutex_);
  // Any row of accounts or endpoints the writer changes (a rolled back change
  // too: that only costs a re-read) invalidates what routing has cached.
  sqlite3_update_hook(
      writer_.handle(),
      [](void* touched, int, const char*, const char* table, sqlite3_int64) {
        const std::string_view name(table);
        if (name == "accounts" || name == "webhook_endpoints") *static_cast<bool*>(touched) = true;
      },
      &routing_touched_);
}

// --- readiness

void SqliteStore::probe() {
  try {
    read([&](SqliteConnection& db) { Query(db, "SELECT COUNT(*) FROM settings").step(); });
  } catch (const StoreError& error) {
    throw StoreError(std::string("the store cannot be read: ") + error.what());
  }
  try {
    write(Durability::kFull, [&](SqliteConnection& db) {
      // A value that changes, so that the commit writes a page for certain.
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

// --- settings

std::optional<std::string> SqliteStore::get_setting(const std::string& name) {
  return read([&](SqliteConnection& db) -> std::optional<std::string> {
    Query query(db, "SELECT value FROM settings WHERE name = ?");
    query.bind(1, name);
    if (!query.step()) return std::nullopt;
    return query.text(0);
  });
}

void SqliteStore::put_setting(const std::string& name, const std::string& value) {
  write(Durability::kFull, [&](SqliteConnection& db) {
    Query(db,
          "INSERT INTO settings (name, value) VALUES (?, ?) "
          "ON CONFLICT (name) DO UPDATE SET value = excluded.value")
        .bind(1, name)
        .bind(2, value)
        .run();
  });
}

std::string SqliteStore::put_setting_if_absent(const std::string& name, const std::string& value) {
  return write(Durability::kFull, [&](SqliteConnection& db) {
    Query(db, "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")
        .bind(1, name)
        .bind(2, value)
        .run();
    Query kept(db, "SELECT value FROM settings WHERE name = ?");
    kept.bind(1, name);
    kept.step();
    return kept.text(0);
  });
}

// --- accounts

void SqliteStore::put_account(const Account& account) {
  write(Durability::kFull, [&](SqliteConnection& db) {
    Query(db, "INSERT INTO accounts (" + account_columns() +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (id) DO UPDATE SET type = excluded.type, "
                  "platform_controls = excluded.platform_controls, "
                  "connected_live = excluded.connected_live, "
                  "connected_test = excluded.connected_test, deauthorized = excluded.deauthorized, "
                  "created = excluded.created, object_json = excluded.object_json")
        .bind(1, account.id)
        .bind(2, to_string(account.type))
        .bind(3, account.platform_controls)
        .bind(4, account.connected_live)
        .bind(5, account.connected_test)
        .bind(6, account.deauthorized)
        .bind(7, account.created)
        .bind(8, account.object_json)
        .run();
  });
}

std::optional<Account> SqliteStore::get_account(const std::string& id) {
  return read([&](SqliteConnection& db) -> std::optional<Account> {
    Query query(db, "SELECT " + account_columns() + " FROM accounts WHERE id = ?");
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    return read_account(query);
  });
}

Page<Account> SqliteStore::list_accounts(const PageRequest& page) {
  PageQuery query;
  query.select = "SELECT " + account_columns() + " FROM accounts";
  query.where = "type <> 'platform'";
  query.order = "created, seq";
  query.cursor_lookup = "SELECT created, seq FROM accounts WHERE id = ?";
  return read([&](SqliteConnection& db) {
    return read_page<Account>(db, query, page, [](const Query& row) { return read_account(row); });
  });
}

bool SqliteStore::delete_account(const std::string& id) {
  return write(Durability::kFull, [&](SqliteConnection& db) {
    Query(db, "DELETE FROM accounts WHERE id = ?").bind(1, id).run();
    return db.changes() > 0;
  });
}

// --- webhook endpoints

void SqliteStore::put_endpoint(const WebhookEndpoint& endpoint) {
  write(Durability::kFull, [&](SqliteConnection& db) {
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

std::optional<WebhookEndpoint> SqliteStore::get_endpoint(const std::string& id) {
  return read([&](SqliteConnection& db) -> std::optional<WebhookEndpoint> {
    Query query(db, "SELECT " + endpoint_columns() + " FROM webhook_endpoints WHERE id = ?");
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    return read_endpoint(query);
  });
}

Page<WebhookEndpoint> SqliteStore::list_endpoints(const std::string& account_id,
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
  return read([&](SqliteConnection& db) {
    return read_page<WebhookEndpoint>(db, query, page,
                                      [](const Query& row) { return read_endpoint(row); });
  });
}

bool SqliteStore::delete_endpoint(const std::string& id) {
  return write(Durability::kFull, [&](SqliteConnection& db) {
    Query(db, "DELETE FROM webhook_endpoints WHERE id = ?").bind(1, id).run();
    return db.changes() > 0;
  });
}

std::vector<WebhookEndpoint> SqliteStore::routing_candidates(const std::string& account_id) {
  return read([&](SqliteConnection& db) {
    std::vector<WebhookEndpoint> endpoints;
    Query query(db, "SELECT " + endpoint_columns() +
                        " FROM webhook_endpoints WHERE account_id = ? OR connect = 1 ORDER BY seq");
    query.bind(1, account_id);
    while (query.step()) endpoints.push_back(read_endpoint(query));
    return endpoints;
  });
}

}  // namespace sqlite
}  // namespace hookline
