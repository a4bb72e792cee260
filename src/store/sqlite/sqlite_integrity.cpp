#include "store/sqlite/sqlite_integrity.hpp"

#include "store/store.hpp"

namespace hookline::sqlite {

namespace {

// What quick_check reports at most: the first problems tell the operator enough.
constexpr int kMaxProblems = 5;

[[noreturn]] void refuse(const std::string& path, const std::string& found) {
  throw StoreError("the database " + path + " is damaged (" + found +
                   "); hookline will not serve from it. Restore it from a backup, or move it "
                   "away to start with an empty one.");
}

}  // namespace

void check_integrity(SqliteConnection& connection, const std::string& path) {
  std::string problems;
  try {
    // quick_check, not integrity_check: it reads every page and checks each
    // b-tree and record, but skips matching indexes to their tables, which is
    // most of integrity_check's time.
    Query check(connection, "PRAGMA quick_check(" + std::to_string(kMaxProblems) + ")");
    while (check.step()) {
      const std::string line = check.text(0);
      if (line == "ok") return;
      if (!problems.empty()) problems += "; ";
      problems += line;
    }
  } catch (const StoreError& error) {
    // A header or schema page too damaged to run the check at all.
    refuse(path, error.what());
  }
  refuse(path, "PRAGMA quick_check: " + problems);
}

}  // namespace hookline::sqlite
