#include "store/postgres/pg_notifications.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <chrono>
#include <memory>

#include "core/thread_name.hpp"
#include "store/store.hpp"

namespace hookline::postgres {

namespace {

constexpr const char* kChannel = "hookline_deliveries_due";
constexpr int kPollMs = 200;        // how soon a stop is noticed
constexpr int kReconnectMs = 1000;  // between attempts while the database is away

}  // namespace

void notify_deliveries_due(PgConnection& connection) {
  connection.exec(std::string("NOTIFY ") + kChannel);
}

DueListener::DueListener(std::string conninfo, std::function<void()> on_due)
    : conninfo_(std::move(conninfo)), on_due_(std::move(on_due)) {
  thread_ = std::thread([this] { run(); });
}

DueListener::~DueListener() {
  stopping_ = true;
  thread_.join();
}

void DueListener::run() {
  name_this_thread("hl-pg-listen");
  while (!stopping_) {
    std::unique_ptr<PgConnection> connection;
    try {
      connection = std::make_unique<PgConnection>(conninfo_);
      connection->exec(std::string("LISTEN ") + kChannel);
      // Whatever was committed while nobody listened is found by a look now.
      on_due_();
    } catch (const StoreError&) {
      for (int waited = 0; waited < kReconnectMs && !stopping_; waited += kPollMs) {
        std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
      }
      continue;
    }
    pg_conn* conn = connection->handle();
    while (!stopping_ && connection->healthy()) {
      pollfd descriptor{PQsocket(conn), POLLIN, 0};
      if (poll(&descriptor, 1, kPollMs) <= 0) continue;
      if (PQconsumeInput(conn) == 0) break;  // the connection is gone: reopen it
      bool due = false;
      while (PGnotify* notification = PQnotifies(conn)) {
        due = true;
        PQfreemem(notification);
      }
      if (due) on_due_();
    }
  }
}

}  // namespace hookline::postgres
