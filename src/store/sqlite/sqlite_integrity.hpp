#pragma once
// The check a database passes before hookline serves from it.
#include <chrono>
#include <string>

#include "store/sqlite/sqlite_connection.hpp"

namespace hookline::sqlite {

// Runs PRAGMA quick_check on the database at `connection` (a file at `path`)
// for at most `budget` (it costs about 3 s per GB). Returns true when the
// whole database was checked, false when the budget ran out first (the part
// checked was sound). Throws StoreError naming the file, what SQLite found,
// and what to do, when the database is damaged (flipped bytes, a truncated or
// foreign file).
bool check_integrity(SqliteConnection& connection, const std::string& path,
                     std::chrono::milliseconds budget);

}  // namespace hookline::sqlite
