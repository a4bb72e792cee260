#include "server/store_location.hpp"

#include <filesystem>
#include <stdexcept>

#include "server/server.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace hookline {

std::unique_ptr<Store> open_store(const ServerOptions& options) {
  if (!options.database.empty()) {
    PostgresOptions postgres;
    postgres.conninfo = options.database;
    postgres.max_connections = options.database_connections;
    return open_postgres_store(postgres);
  }
  return open_sqlite_store((std::filesystem::path(options.data_dir) / "hookline.db").string());
}

std::string describe_store(const ServerOptions& options) {
  if (!options.database.empty()) {
    return describe_postgres_location(options.database);
  }
  return options.data_dir;
}

}  // namespace hookline
