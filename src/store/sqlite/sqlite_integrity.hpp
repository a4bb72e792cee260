#pragma once
// The check a database passes before hookline serves from it.
#include <string>

#include "store/sqlite/sqlite_connection.hpp"

namespace hookline::sqlite {

// Runs PRAGMA quick_check on the database at `connection` (a file at `path`).
// Throws StoreError naming the file, what SQLite found, and what to do, when
// the database is damaged (flipped bytes, a truncated or foreign file).
void check_integrity(SqliteConnection& connection, const std::string& path);

}  // namespace hookline::sqlite
