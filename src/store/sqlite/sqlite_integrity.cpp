#include "store/sqlite/sqlite_integrity.hpp"

#include <sqlite3.h>

#include "store/store.hpp"

namespace hookline::sqlite {

namespace {

// What quick_check reports at most: the first problems tell the operator enough.
constexpr int kMaxProblems = 5;
// How often (in virtual machine instructions) the budget is looked at.
constexpr int kProgressInterval = 1000;

[[noreturn]] void refuse(const std::string& path, const std::string& found) {
  throw StoreError("the database " + path + " is damaged (" + found +
                   "); hookline will not serve from it. Restore it from a backup, or move it "
                   "away to start with an empty one.");
}

using SteadyClock = std::chrono::steady_clock;

int past_deadline(void* deadline) {
  return SteadyClock::now() >= *static_cast<const SteadyClock::time_point*>(deadline) ? 1 : 0;
}

// Sets the progress handler for its lifetime.
class Deadline {
 public:
  Deadline(sqlite3* db, std::chrono::milliseconds budget)
      : db_(db), deadline_(SteadyClock::now() + budget) {
    sqlite3_progress_handler(db_, kProgressInterval, &past_deadline, &deadline_);
  }
  ~Deadline() { sqlite3_progress_handler(db_, 0, nullptr, nullptr); }
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

 private:
  sqlite3* db_;
  SteadyClock::time_point deadline_;
};

}  // namespace

bool check_integrity(SqliteConnection& connection, const std::string& path,
                     std::chrono::milliseconds budget) {
  std::string problems;
  try {
    Deadline deadline(connection.handle(), budget);
    // quick_check, not integrity_check: it reads every page and checks each
    // b-tree and record, but skips matching indexes to their tables, which is
    // most of integrity_check's time.
    Query check(connection, "PRAGMA quick_check(" + std::to_string(kMaxProblems) + ")");
    while (check.step()) {
      const std::string line = check.text(0);
      if (line == "ok") return true;
      if (!problems.empty()) problems += "; ";
      problems += line;
    }
  } catch (const StoreError& error) {
    if (sqlite3_errcode(connection.handle()) == SQLITE_INTERRUPT) return false;
    // A header or schema page too damaged to run the check at all.
    refuse(path, error.what());
  }
  refuse(path, "PRAGMA quick_check: " + problems);
}

}  // namespace hookline::sqlite
