#pragma once
#include <cstddef>
#include <memory>
#include <string>

#include "store/store.hpp"

namespace hookline {

struct PostgresOptions {
  // Any libpq connection string or URI ("postgres://user@host/db",
  // "host=/run/pg dbname=hookline", several hosts, sslmode, …).
  std::string conninfo;
  // Connections open at once at most; callers beyond it wait for one.
  std::size_t max_connections = 16;
  // How old the pending-deliveries gauge (/metrics) may be: it is counted at
  // most this often, however often it is scraped.
  int64_t pending_gauge_max_age_ms = 5'000;
};

// Connects to the PostgreSQL store at `options.conninfo`, migrating its schema
// to the current version (under an advisory lock). Throws StoreUnavailable when
// the server cannot be reached, StoreError when the schema is newer than this
// build or a migration fails.
std::unique_ptr<Store> open_postgres_store(const PostgresOptions& options);

// `conninfo` for logs and banners: its host, port, database and user, never
// its password. Throws StoreError if libpq cannot parse it.
std::string describe_postgres_location(const std::string& conninfo);

}  // namespace hookline
