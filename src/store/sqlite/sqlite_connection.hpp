#pragma once
// A thin RAII layer over one sqlite3 connection: cached prepared statements,
// a Query that binds, steps and resets, and a Transaction guard.
//
// Thread safety: a SqliteConnection (and every Query on it) is used by one
// thread at a time; the store's pool and write mutex guarantee that.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace hookline::sqlite {

// How a write transaction is committed.
//   kFull: fsync before COMMIT returns (what the API acknowledges).
//   kNormal: WAL frames are written but synced at the next kFull commit or
//     checkpoint; a process crash loses nothing, a power loss may lose the last
//     commits. Used for queue bookkeeping whose loss only causes a redelivery.
enum class Durability { kFull, kNormal };

// A bound parameter of a dynamically built statement: an integer or a text.
// (A plain struct: std::variant<int64_t, std::string> trips g++ 12's
// -Wmaybe-uninitialized.)
struct Param {
  Param(int64_t value) : number(value) {}                              // NOLINT: implicit by design
  Param(std::string value) : is_text(true), text(std::move(value)) {}  // NOLINT
  Param(const char* value) : is_text(true), text(value) {}             // NOLINT

  bool is_text = false;
  int64_t number = 0;
  std::string text;
};

class SqliteConnection {
 public:
  // Opens `path` (creating it), with a busy timeout and foreign keys off.
  // Throws StoreError.
  explicit SqliteConnection(const std::string& path);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Runs one or more statements without results. Throws StoreError.
  void exec(const std::string& sql);
  // The prepared statement for `sql`, compiled once and cached for the life of
  // the connection. Throws StoreError.
  sqlite3_stmt* prepare(const std::string& sql);
  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t changes() const;
  int64_t last_insert_rowid() const;
  void set_durability(Durability durability);
  // A PASSIVE checkpoint of the WAL: copies what it can without waiting for
  // anyone. Returns SQLite's result code (SQLITE_BUSY: another one runs).
  int checkpoint_passive();
  // A TRUNCATE checkpoint: waits (busy timeout) for the writer and for readers
  // to leave the WAL, copies all of it back and cuts the file to zero bytes.
  int checkpoint_truncate();
  // The SQLite handle, for hooks (sqlite3_wal_hook). Not for statements.
  sqlite3* handle() const { return db_; }

  [[noreturn]] void fail(const std::string& what) const;

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
  Durability durability_ = Durability::kFull;
  bool durability_known_ = false;
};

// One execution of a cached statement. Parameters are 1-based, columns
// 0-based. The statement is reset when the Query is destroyed.
class Query {
 public:
  Query(SqliteConnection& connection, const std::string& sql);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& bind(int index, int64_t value);
  Query& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Query& bind(int index, bool value) { return bind(index, static_cast<int64_t>(value ? 1 : 0)); }
  Query& bind(int index, std::string_view text);
  Query& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Query& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Query& bind_blob(int index, std::string_view bytes);
  Query& bind(int index, const Param& param);
  // Binds `params` to 1..n starting at `first`; returns the next free index.
  int bind_all(int first, const std::vector<Param>& params);

  // Advances to the next row: true if there is one, false when done.
  bool step();
  // Steps to completion (for statements without results).
  void run();

  bool is_null(int column) const;
  int64_t int64(int column) const;
  int integer(int column) const { return static_cast<int>(int64(column)); }
  bool boolean(int column) const { return int64(column) != 0; }
  std::string text(int column) const;  // text or blob bytes, exactly

 private:
  SqliteConnection& connection_;
  sqlite3_stmt* statement_;
};

// BEGIN IMMEDIATE on construction (takes the write lock at once), ROLLBACK on
// destruction unless commit() was called.
class Transaction {
 public:
  Transaction(SqliteConnection& connection, Durability durability);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  SqliteConnection& connection_;
  bool done_ = false;
};

// A read snapshot: BEGIN (deferred) ... COMMIT, so that several queries see one state.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(SqliteConnection& connection);
  ~ReadSnapshot();
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  SqliteConnection& connection_;
};

}  // namespace hookline::sqlite
