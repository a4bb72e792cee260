#pragma once
#include <memory>
#include <string>

#include "store/store.hpp"

namespace hookline {

// Opens (creating if needed) the SQLite store in `path` (a file; ":memory:" is
// not supported since several connections share it), in WAL mode, migrating its
// schema to the current version. Throws StoreError on failure.
std::unique_ptr<Store> open_sqlite_store(const std::string& path);

}  // namespace hookline
