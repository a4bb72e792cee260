#pragma once
// Wake-ups across nodes (LISTEN/NOTIFY): a transaction that leaves deliveries
// due runs notify_deliveries_due(), delivered to every listener when it
// commits; a DueListener holds a connection of its own LISTENing and calls its
// callback on each notification. A lost connection is reopened (once a
// second), so a database restart only costs the wake-ups meanwhile: the
// dispatchers' own polling still finds the work.
#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "store/postgres/pg_connection.hpp"

namespace hookline::postgres {

// In the caller's transaction: a notification sent at COMMIT (or never).
void notify_deliveries_due(PgConnection& connection);

class DueListener {
 public:
  DueListener(std::string conninfo, std::function<void()> on_due);
  ~DueListener();  // stops its thread
  DueListener(const DueListener&) = delete;
  DueListener& operator=(const DueListener&) = delete;

 private:
  void run();

  const std::string conninfo_;
  const std::function<void()> on_due_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace hookline::postgres
