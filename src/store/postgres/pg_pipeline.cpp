#include "store/postgres/pg_pipeline.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include "store/store.hpp"

namespace hookline::postgres {

namespace {

bool succeeded(PGresult* result) {
  const ExecStatusType status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

// Sends libpq's output buffer (the connection is non-blocking while a flight
// is sent): a large flight could otherwise fill the socket while the server,
// blocked on sending answers the client does not read yet, stops reading.
// Answers are read into libpq's buffer meanwhile. Leaves the connection
// blocking. False if the connection failed.
bool send_buffered(pg_conn* conn) {
  int flushed = 0;
  while ((flushed = PQflush(conn)) == 1) {
    pollfd socket{PQsocket(conn), POLLIN | POLLOUT, 0};
    if (poll(&socket, 1, -1) < 0) continue;  // EINTR
    if ((socket.revents & POLLIN) != 0 && PQconsumeInput(conn) == 0) {
      flushed = -1;
      break;
    }
  }
  return PQsetnonblocking(conn, 0) == 0 && flushed == 0;
}

std::string one_line(const char* text) {
  std::string line = text != nullptr ? text : "";
  for (char& c : line) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

}  // namespace

Query& Pipeline::add(const std::string& sql) {
  Query& query = statements_.emplace_back(connection_, sql);
  queued_.push_back(&query);
  return query;
}

void Pipeline::run() {
  std::vector<Query*> flight;
  flight.swap(queued_);
  if (flight.empty()) return;
  pg_conn* conn = connection_.handle();
  // Named first: preparing a statement (its first use on this connection) is
  // a round trip of its own, not allowed within the pipeline.
  std::vector<const char*> names;
  names.reserve(flight.size());
  for (Query* query : flight) {
    names.push_back(connection_.prepared(query->sql_, static_cast<int>(query->values_.size())));
  }

  if (PQenterPipelineMode(conn) != 1 || PQsetnonblocking(conn, 1) != 0) {
    connection_.fail("entering pipeline mode");
  }
  std::size_t sent = 0;
  std::string send_failure;
  for (; sent < flight.size(); ++sent) {
    const Query& query = *flight[sent];
    const Query::Params bound = query.params();
    const int ok =
        names[sent] != nullptr
            ? PQsendQueryPrepared(conn, names[sent], bound.count(), bound.values.data(),
                                  bound.lengths.data(), bound.formats.data(), 0)
            : PQsendQueryParams(conn, query.sql_.c_str(), bound.count(), nullptr,
                                bound.values.data(), bound.lengths.data(), bound.formats.data(),
                                0);
    if (ok != 1) {
      send_failure = query.sql_ + ": " + PQerrorMessage(conn);
      break;
    }
  }
  // What was sent is answered up to the sync, failed or not, so that the
  // connection leaves pipeline mode with nothing pending.
  bool lost = PQpipelineSync(conn) != 1 || !send_buffered(conn);

  PGresult* failure = nullptr;
  std::size_t failed_at = 0;
  for (std::size_t i = 0; i < sent && !lost; ++i) {
    PGresult* result = PQgetResult(conn);
    if (result == nullptr) {
      lost = true;
      break;
    }
    while (PGresult* extra = PQgetResult(conn)) PQclear(extra);  // up to the statement's end
    if (succeeded(result)) {
      flight[i]->take(result);
    } else if (PQresultStatus(result) != PGRES_PIPELINE_ABORTED && failure == nullptr) {
      failure = result;
      failed_at = i;
    } else {
      PQclear(result);  // skipped after the failure
    }
  }
  if (!lost) {
    PGresult* sync = PQgetResult(conn);
    lost = PQresultStatus(sync) != PGRES_PIPELINE_SYNC;
    PQclear(sync);
    lost = lost || PQexitPipelineMode(conn) != 1;
  }

  if (failure != nullptr) {
    if (names[failed_at] != nullptr && stale_plan(failure)) {
      // As in Query::run(): every statement of the connection may be stale;
      // the transaction (aborted) is run again by its caller.
      connection_.forget_prepared();
      const std::string message = "postgres: " + flight[failed_at]->sql_ + ": " +
                                  PQresultErrorMessage(failure);
      PQclear(failure);
      throw StalePreparedStatement(message);
    }
    connection_.fail(flight[failed_at]->sql_, failure);
  }
  // Answers missing (the server went away mid-flight; libpq may not have
  // marked the connection bad yet): unhealthy (still in pipeline mode), so the
  // pool drops it, and the caller is told to retry later.
  if (lost) {
    throw StoreUnavailable("postgres: pipeline: connection lost: " +
                           one_line(PQerrorMessage(conn)));
  }
  if (!send_failure.empty()) connection_.fail(send_failure);
}

// --- PipelinedTransaction

PipelinedTransaction::PipelinedTransaction(PgConnection& connection, Durability durability)
    : connection_(connection), pipeline_(connection) {
  pipeline_.add("BEGIN");
  if (durability == Durability::kNormal) pipeline_.add("SET LOCAL synchronous_commit = off");
}

PipelinedTransaction::~PipelinedTransaction() {
  if (committed_ || !connection_.healthy() ||
      PQtransactionStatus(connection_.handle()) == PQTRANS_IDLE) {
    return;  // nothing was begun, or it ended
  }
  PGresult* result = PQexec(connection_.handle(), "ROLLBACK");
  PQclear(result);
}

void PipelinedTransaction::commit() {
  pipeline_.add("COMMIT");
  pipeline_.run();
  committed_ = true;
}

}  // namespace hookline::postgres
