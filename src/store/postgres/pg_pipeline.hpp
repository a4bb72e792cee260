#pragma once
// Statements sent to the server together and answered together (libpq's
// pipeline mode): one round trip for a flight of statements, where
// Query::run() takes one each. The server still runs them one after the
// other, each with its own snapshot; after a failure it skips the rest of the
// flight. So a flight is only used inside an explicit transaction
// (PipelinedTransaction): a failure anywhere leaves the transaction aborted,
// and nothing of it is kept.
#include <deque>
#include <string>
#include <vector>

#include "store/postgres/pg_connection.hpp"

namespace hookline::postgres {

class Pipeline {
 public:
  explicit Pipeline(PgConnection& connection) : connection_(connection) {}
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Queues a statement, kept as long as the pipeline: bind its parameters
  // before run(), read its rows after.
  Query& add(const std::string& sql);

  // Sends what is queued and reads every answer. Throws for the first
  // statement that failed, as Query::run() would (StoreUnavailable,
  // StalePreparedStatement, else StoreError), after the whole flight is
  // answered: the connection is left out of pipeline mode, or unhealthy.
  void run();

 private:
  PgConnection& connection_;
  std::deque<Query> statements_;  // every one added (a deque: they stay in place)
  std::vector<Query*> queued_;   // the ones run() sends next
};

// A transaction whose statements go in flights: BEGIN with the first one,
// COMMIT with the last. ROLLBACK on destruction unless committed.
class PipelinedTransaction {
 public:
  PipelinedTransaction(PgConnection& connection, Durability durability);
  ~PipelinedTransaction();
  PipelinedTransaction(const PipelinedTransaction&) = delete;
  PipelinedTransaction& operator=(const PipelinedTransaction&) = delete;

  Query& add(const std::string& sql) { return pipeline_.add(sql); }
  // Sends what is queued (BEGIN first, the first time): one round trip.
  void flush() { pipeline_.run(); }
  // Queues COMMIT after the rest and flushes.
  void commit();
  bool committed() const { return committed_; }

 private:
  PgConnection& connection_;
  Pipeline pipeline_;
  bool committed_ = false;
};

}  // namespace hookline::postgres
