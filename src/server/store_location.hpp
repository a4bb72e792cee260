#pragma once
// Where `hookline serve` keeps its data: PostgreSQL when a database is given
// (--database / HOOKLINE_DATABASE_URL), else SQLite in the data directory.
#include <memory>
#include <string>

#include "store/store.hpp"

namespace hookline {

struct ServerOptions;

// Opens the store the options name (the data directory must exist). Throws
// StoreUnavailable when PostgreSQL cannot be reached, StoreError or
// std::runtime_error otherwise.
std::unique_ptr<Store> open_store(const ServerOptions& options);

// What the banner shows: the database (never its password), or the data dir.
std::string describe_store(const ServerOptions& options);

}  // namespace hookline
