#pragma once
// A PostgreSQL store on a test's own database, for the PostgreSQL-only store
// tests (the contract tests get theirs from store_backends.hpp).
#include <cstddef>
#include <memory>

#include "postgres_server.hpp"
#include "store/postgres/pg_store.hpp"

namespace hookline::testing {

// With `connections` = 1 every call runs on the same connection (the one a
// failure or a stale plan was left on).
inline std::unique_ptr<Store> open_postgres_on(const TestDatabase& database,
                                               std::size_t connections = 4) {
  PostgresOptions options;
  options.conninfo = database.conninfo();
  options.max_connections = connections;
  return open_postgres_store(options);
}

}  // namespace hookline::testing
