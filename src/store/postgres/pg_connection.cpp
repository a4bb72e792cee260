#include "store/postgres/pg_connection.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <memory>

#include "store/store.hpp"

namespace hookline::postgres {

namespace {

std::string message_of(pg_conn* conn, PGresult* result) {
  const char* text = result != nullptr ? PQresultErrorMessage(result) : nullptr;
  if (text == nullptr || *text == '\0') text = PQerrorMessage(conn);
  std::string message = text != nullptr ? text : "";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  // libpq's hints come on lines of their own ("\n\tIs the server running…"):
  // one line, for the log.
  for (char& c : message) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return message;
}

// A host that drops packets (rather than refusing) would otherwise block a
// connect for the kernel's TCP timeout (minutes): a call waits this long at most.
constexpr const char* kDefaultConnectTimeoutSeconds = "5";

// The failure's SQLSTATE, empty if there is none.
std::string_view sqlstate(PGresult* result) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  return state != nullptr ? std::string_view(state) : std::string_view();
}

// Class 08 (connection exception) and 57P0x (the server shutting down) mean
// "try again later", like a lost connection.
bool unavailable_state(PGresult* result) {
  const std::string_view code = sqlstate(result);
  return code.substr(0, 2) == "08" || code == "57P01" || code == "57P02" || code == "57P03";
}

// "cached plan must not change result type": a prepared statement whose
// result columns changed since it was prepared (another node migrated the
// schema). The server keeps failing it until it is deallocated.
bool stale_plan(PGresult* result) { return sqlstate(result) == "0A000"; }

}  // namespace

std::string number_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  char quote = 0;
  for (char c : sql) {
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(next++);
      continue;
    }
    out += c;
  }
  return out;
}

// `conninfo` is expanded after the defaults, so that its own settings win
// (libpq keeps the last value of a repeated keyword).
static pg_conn* open_connection(const std::string& conninfo) {
  const char* keywords[] = {"connect_timeout", "dbname", nullptr};
  const char* values[] = {kDefaultConnectTimeoutSeconds, conninfo.c_str(), nullptr};
  return PQconnectdbParams(keywords, values, 1);
}

PgConnection::PgConnection(const std::string& conninfo) : conn_(open_connection(conninfo)) {
  if (conn_ == nullptr) throw StoreUnavailable("postgres: out of memory while connecting");
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string message = message_of(conn_, nullptr);
    PQfinish(conn_);
    conn_ = nullptr;
    throw StoreUnavailable("postgres: cannot connect: " + message);
  }
  // Prepared statements (prepared()) save the parsing; each execution is
  // still planned for its own values: a generic plan of the queue's range
  // queries was measured 10× slower (SELECT MIN(next_attempt_ms) … 1.3 ms
  // instead of 0.13 ms), and planning these small statements is cheap.
  exec("SET client_min_messages = warning; SET plan_cache_mode = force_custom_plan");
}

PgConnection::~PgConnection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

void PgConnection::exec(const std::string& sql) {
  PGresult* result = PQexec(conn_, sql.c_str());
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail("exec", result);
  PQclear(result);
}

const char* PgConnection::prepared(const std::string& sql, int parameters) {
  if (parameters > kMaxPreparedParameters) return nullptr;
  // Not within a failed transaction: the server would refuse it too.
  if (deallocate_pending_ && PQtransactionStatus(conn_) != PQTRANS_INERROR) {
    exec("DEALLOCATE ALL");
    deallocate_pending_ = false;
  }
  auto found = prepared_.find(sql);
  if (found != prepared_.end()) return found->second.c_str();
  if (prepared_.size() >= kMaxPrepared) return nullptr;
  std::string name = "hl" + std::to_string(++statements_named_);
  PGresult* result = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
  if (PQresultStatus(result) != PGRES_COMMAND_OK) fail(sql, result);
  PQclear(result);
  return prepared_.emplace(sql, std::move(name)).first->second.c_str();
}

void PgConnection::forget_prepared() {
  prepared_.clear();
  deallocate_pending_ = true;
}

bool PgConnection::healthy() const { return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK; }

void PgConnection::fail(const std::string& what, PGresult* result) const {
  const std::string message = "postgres: " + what + ": " + message_of(conn_, result);
  const bool unavailable = PQstatus(conn_) != CONNECTION_OK || unavailable_state(result);
  if (result != nullptr) PQclear(result);
  if (unavailable) throw StoreUnavailable(message);
  throw StoreError(message);
}

// --- Query

Query::Query(PgConnection& connection, std::string sql)
    : connection_(connection), sql_(number_placeholders(sql)) {}

Query::~Query() {
  if (result_ != nullptr) PQclear(result_);
}

void Query::set(int index, std::string value, bool binary) {
  const auto slot = static_cast<std::size_t>(index - 1);
  if (values_.size() <= slot) {
    values_.resize(slot + 1);
    binary_.resize(slot + 1);
  }
  values_[slot] = std::move(value);
  binary_[slot] = binary;
}

Query& Query::bind(int index, int64_t value) {
  set(index, std::to_string(value), false);
  return *this;
}

Query& Query::bind(int index, std::string_view text) {
  set(index, std::string(text), false);
  return *this;
}

Query& Query::bind_blob(int index, std::string_view bytes) {
  set(index, std::string(bytes), true);
  return *this;
}

Query& Query::bind(int index, const Param& param) {
  return param.is_text ? bind(index, param.text) : bind(index, param.number);
}

int Query::bind_all(int first, const std::vector<Param>& params) {
  for (const Param& param : params) bind(first++, param);
  return first;
}

Query& Query::run() {
  if (result_ != nullptr) {
    PQclear(result_);
    result_ = nullptr;
  }
  const int count = static_cast<int>(values_.size());
  std::vector<const char*> values(values_.size());
  std::vector<int> lengths(values_.size());
  std::vector<int> formats(values_.size());
  for (std::size_t i = 0; i < values_.size(); ++i) {
    values[i] = values_[i].data();
    lengths[i] = static_cast<int>(values_[i].size());
    formats[i] = binary_[i] ? 1 : 0;
  }
  const auto execute = [&](const char* name) {
    return name != nullptr ? PQexecPrepared(connection_.handle(), name, count, values.data(),
                                            lengths.data(), formats.data(), 0)
                           : PQexecParams(connection_.handle(), sql_.c_str(), count, nullptr,
                                          values.data(), lengths.data(), formats.data(), 0);
  };
  const auto failed = [](PGresult* result) {
    const ExecStatusType status = PQresultStatus(result);
    return status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK;
  };
  const char* name = connection_.prepared(sql_, count);
  PGresult* result = execute(name);
  if (failed(result) && name != nullptr && stale_plan(result)) {
    // Every statement prepared on this connection may be stale: all go. On
    // its own, the statement runs again, prepared afresh; within a
    // transaction (now aborted) the caller retries the transaction.
    connection_.forget_prepared();
    if (PQtransactionStatus(connection_.handle()) != PQTRANS_IDLE) {
      const std::string message =
          "postgres: " + sql_ + ": " + message_of(connection_.handle(), result);
      PQclear(result);
      throw StalePreparedStatement(message);
    }
    PQclear(result);
    result = execute(connection_.prepared(sql_, count));
  }
  if (failed(result)) connection_.fail(sql_, result);
  result_ = result;
  return *this;
}

int64_t Query::changes() const {
  const char* tuples = PQcmdTuples(result_);
  int64_t value = 0;
  if (tuples != nullptr) std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), value);
  return value;
}

int Query::rows() const { return result_ != nullptr ? PQntuples(result_) : 0; }

bool Query::is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

int64_t Query::int64(int row, int column) const {
  const char* text = PQgetvalue(result_, row, column);
  const int length = PQgetlength(result_, row, column);
  int64_t value = 0;
  std::from_chars(text, text + length, value);
  return value;
}

std::string Query::text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column),
                     static_cast<std::size_t>(PQgetlength(result_, row, column)));
}

std::string Query::blob(int row, int column) const {
  std::size_t length = 0;
  unsigned char* bytes = PQunescapeBytea(
      reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row, column)), &length);
  if (bytes == nullptr) throw StoreError("postgres: cannot decode a bytea column");
  std::string out(reinterpret_cast<const char*>(bytes), length);
  PQfreemem(bytes);
  return out;
}

// --- Transaction

Transaction::Transaction(PgConnection& connection, Durability durability)
    : connection_(connection) {
  connection_.exec(durability == Durability::kNormal
                       ? "BEGIN; SET LOCAL synchronous_commit = off"
                       : "BEGIN");
}

Transaction::~Transaction() {
  if (done_ || !connection_.healthy()) return;
  PGresult* result = PQexec(connection_.handle(), "ROLLBACK");
  PQclear(result);
}

void Transaction::commit() {
  connection_.exec("COMMIT");
  done_ = true;
}

}  // namespace hookline::postgres
