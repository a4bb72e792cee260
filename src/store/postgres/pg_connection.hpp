#pragma once
// A thin RAII layer over one libpq connection, the counterpart of
// sqlite/sqlite_connection.hpp: a Query that binds, runs and reads rows, and a
// Transaction guard.
//
// SQL is written with `?` placeholders, as in sqlite/, and numbered ($1, $2, …)
// here, so that the queries of both stores read alike. Parameters travel as
// text (PostgreSQL infers their types from the statement); bytea parameters as
// binary.
//
// Thread safety: a PgConnection (and every Query on it) is used by one thread
// at a time; the store's pool guarantees that.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/sqlite/sqlite_connection.hpp"  // Param, Durability: shared by both stores
#include "store/store.hpp"

struct pg_conn;
struct pg_result;

namespace hookline::postgres {

using sqlite::Durability;
using sqlite::Param;

// A prepared statement failed within a transaction because the row type it
// returns changed since it was prepared ("cached plan must not change result
// type": another node migrated the schema). The transaction is aborted; the
// connection has forgotten its prepared statements (prepared afresh on next
// use), so the transaction can be run again.
class StalePreparedStatement : public StoreError {
 public:
  using StoreError::StoreError;
};

class PgConnection {
 public:
  // Connects with `conninfo` (any libpq connection string or URI). Throws
  // StoreUnavailable when the server cannot be reached.
  explicit PgConnection(const std::string& conninfo);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one or more statements without parameters or results. Throws StoreError.
  void exec(const std::string& sql);
  // False once the connection to the server is lost (the pool drops it).
  bool healthy() const;
  pg_conn* handle() const { return conn_; }

  // Throws StoreUnavailable if the connection is lost, else StoreError.
  [[noreturn]] void fail(const std::string& what, pg_result* result = nullptr) const;

  // The name of `sql` prepared on this connection (prepared on first use:
  // the server parses and plans it once per connection, not per execution),
  // or nullptr for a statement not worth keeping (one with many parameters:
  // a multi-row statement whose text changes with its row count). Throws
  // StoreError.
  const char* prepared(const std::string& sql, int parameters);

  // Forgets every statement prepared on this connection: they are
  // deallocated on the server (DEALLOCATE ALL) before the next is prepared.
  void forget_prepared();

  // Statements prepared on this connection at most.
  static constexpr std::size_t kMaxPrepared = 128;
  // Statements with more parameters are not prepared.
  static constexpr int kMaxPreparedParameters = 24;

 private:
  pg_conn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;  // SQL → statement name
  uint64_t statements_named_ = 0;  // names are never reused ("hl<N>")
  bool deallocate_pending_ = false;  // forget_prepared() was called
};

// One execution of a statement. Parameters are 1-based (as in sqlite/),
// columns 0-based; run() executes, then rows are read by index.
//
// A prepared statement whose row type changed under it (a schema migration
// run by another node) is recovered by run(): every statement of the
// connection is forgotten, and the statement runs again, prepared afresh; in
// a transaction (which the failure aborted) run() throws
// StalePreparedStatement instead.
class Query {
 public:
  Query(PgConnection& connection, std::string sql);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& bind(int index, int64_t value);
  Query& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Query& bind(int index, bool value) { return bind(index, static_cast<int64_t>(value ? 1 : 0)); }
  Query& bind(int index, std::string_view text);
  Query& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Query& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Query& bind_blob(int index, std::string_view bytes);  // a bytea parameter
  Query& bind(int index, const Param& param);
  int bind_all(int first, const std::vector<Param>& params);

  // Executes the statement; returns *this to read the rows.
  Query& run();
  // Rows affected (INSERT/UPDATE/DELETE) or returned.
  int64_t changes() const;
  int rows() const;

  bool is_null(int row, int column) const;
  int64_t int64(int row, int column) const;
  int integer(int row, int column) const { return static_cast<int>(int64(row, column)); }
  bool boolean(int row, int column) const { return int64(row, column) != 0; }
  std::string text(int row, int column) const;
  std::string blob(int row, int column) const;  // a bytea column, decoded

 private:
  void set(int index, std::string value, bool binary);

  PgConnection& connection_;
  std::string sql_;
  std::vector<std::string> values_;
  std::vector<bool> binary_;
  pg_result* result_ = nullptr;
};

// BEGIN on construction, ROLLBACK on destruction unless commit() was called.
// kNormal commits with synchronous_commit off (as sqlite's kNormal: a crash of
// the server may lose the last such commits, never corrupt anything).
class Transaction {
 public:
  Transaction(PgConnection& connection, Durability durability);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  PgConnection& connection_;
  bool done_ = false;
};

// `sql` with each `?` outside quotes replaced by $1, $2, … in order.
std::string number_placeholders(std::string_view sql);

}  // namespace hookline::postgres
