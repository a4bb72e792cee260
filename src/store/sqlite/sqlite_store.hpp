#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/disk_space.hpp"
#include "store/store.hpp"

namespace hookline {

struct SqliteStoreOptions {
  // Free bytes where the database lives; empty: available_bytes() of its directory.
  FreeSpaceProbe free_bytes;
  // Below this, the WAL is checkpointed early and truncated (see WalCheckpointer).
  uint64_t low_space_bytes = uint64_t{256} << 20;
  // How long the integrity check at open may take (about 3 s per GB); past it
  // the rest is left unchecked and a warning logged, so that a large database
  // still starts.
  std::chrono::milliseconds integrity_check_budget{60'000};
};

// Opens (creating if needed) the SQLite store in `path` (a file; ":memory:" is
// not supported since several connections share it), in WAL mode, migrating its
// schema to the current version. Checks the database first (PRAGMA
// quick_check, within options.integrity_check_budget): a damaged one is refused. Throws StoreError
// on failure, with a message for the operator.
std::unique_ptr<Store> open_sqlite_store(const std::string& path, SqliteStoreOptions options = {});

}  // namespace hookline
