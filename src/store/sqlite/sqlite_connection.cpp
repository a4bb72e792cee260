#include "store/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include <mutex>

#include "store/store.hpp"

namespace hookline::sqlite {

namespace {
constexpr int kBusyTimeoutMs = 10'000;

// Before SQLite's first use in the process: no memory statistics. Keeping
// them takes one global mutex around every allocation SQLite makes, which all
// the connections (the writer and every reader thread) then contend for.
void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    // SQLITE_MISUSE if SQLite was already initialized: then it stays as it was.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
}
}  // namespace

SqliteConnection::SqliteConnection(const std::string& path) {
  configure_sqlite_once();
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("sqlite: cannot open " + path + ": " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
  sqlite3_close(db_);
}

void SqliteConnection::fail(const std::string& what) const {
  throw StoreError("sqlite: " + what + ": " + sqlite3_errmsg(db_));
}

void SqliteConnection::exec(const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    throw StoreError("sqlite: " + message + " in: " + sql.substr(0, 200));
  }
}

sqlite3_stmt* SqliteConnection::prepare(const std::string& sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) return found->second;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &statement, nullptr) != SQLITE_OK) {
    fail("prepare " + sql.substr(0, 200));
  }
  statements_.emplace(sql, statement);
  return statement;
}

int64_t SqliteConnection::changes() const { return sqlite3_changes64(db_); }

int64_t SqliteConnection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

void SqliteConnection::set_durability(Durability durability) {
  if (durability_known_ && durability_ == durability) return;
  exec(durability == Durability::kFull ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  durability_ = durability;
  durability_known_ = true;
}

int SqliteConnection::checkpoint_passive() {
  return sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

int SqliteConnection::checkpoint_truncate() {
  return sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

Query::Query(SqliteConnection& connection, const std::string& sql)
    : connection_(connection), statement_(connection.prepare(sql)) {}

Query::~Query() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

Query& Query::bind(int index, int64_t value) {
  if (sqlite3_bind_int64(statement_, index, value) != SQLITE_OK) connection_.fail("bind");
  return *this;
}

Query& Query::bind(int index, std::string_view text) {
  if (sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                          SQLITE_UTF8) != SQLITE_OK) {
    connection_.fail("bind");
  }
  return *this;
}

Query& Query::bind_blob(int index, std::string_view bytes) {
  // A zero-length blob must still be a blob, not NULL: pass a valid pointer.
  const char* data = bytes.empty() ? "" : bytes.data();
  if (sqlite3_bind_blob64(statement_, index, data, bytes.size(), SQLITE_TRANSIENT) != SQLITE_OK) {
    connection_.fail("bind");
  }
  return *this;
}

Query& Query::bind(int index, const Param& param) {
  if (param.is_text) return bind(index, std::string_view(param.text));
  return bind(index, param.number);
}

int Query::bind_all(int first, const std::vector<Param>& params) {
  for (const Param& param : params) bind(first++, param);
  return first;
}

bool Query::step() {
  const int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  connection_.fail("step");
}

void Query::run() {
  while (step()) {
  }
}

bool Query::is_null(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

int64_t Query::int64(int column) const { return sqlite3_column_int64(statement_, column); }

std::string Query::text(int column) const {
  // Ask for the blob first so that SQLite hands back the stored bytes unconverted.
  const void* data = sqlite3_column_blob(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  if (data == nullptr || size <= 0) return {};
  return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

Transaction::Transaction(SqliteConnection& connection, Durability durability)
    : connection_(connection) {
  connection_.set_durability(durability);
  Query(connection_, "BEGIN IMMEDIATE").run();
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    Query(connection_, "ROLLBACK").run();
  } catch (const StoreError&) {
    // The transaction is already gone (SQLite rolls back on some errors itself).
  }
}

void Transaction::commit() {
  Query(connection_, "COMMIT").run();
  done_ = true;
}

ReadSnapshot::ReadSnapshot(SqliteConnection& connection) : connection_(connection) {
  Query(connection_, "BEGIN").run();
}

ReadSnapshot::~ReadSnapshot() {
  try {
    Query(connection_, "COMMIT").run();
  } catch (const StoreError&) {
    try {
      Query(connection_, "ROLLBACK").run();
    } catch (const StoreError&) {
    }
  }
}

}  // namespace hookline::sqlite
