// Issue 11 item 6b, the connection layer: after PostgreSQL restarts
// (`pg_ctl restart -m fast` cuts every session), one failed call is enough for
// the pool to drop every connection opened before it, the store answers again
// without being reopened, and its LISTEN connection is re-established (a
// commit on another node wakes it again).
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "postgres_server.hpp"
#include "store/postgres/pg_connection_pool.hpp"
#include "store/postgres/pg_store.hpp"
#include "store_test_support.hpp"

namespace hookline::testing {
namespace {

std::string server_pid(postgres::PgConnection& connection) {
  postgres::Query query(connection, "SELECT pg_backend_pid()");
  return query.run().text(0, 0);
}

TEST(PostgresReconnect, OneFailedCallAfterARestartDropsEveryStaleConnection) {
  TestDatabase database;
  postgres::PgConnectionPool pool(database.conninfo(), 3);
  {
    // Three connections at once, then all idle in the pool.
    auto a = pool.acquire();
    auto b = pool.acquire();
    auto c = pool.acquire();
    server_pid(*a);
    server_pid(*b);
    server_pid(*c);
  }
  shared_postgres().restart();
  {
    auto stale = pool.acquire();
    EXPECT_THROW(server_pid(*stale), StoreUnavailable);
  }
  // The other two were opened before the failure: not handed out again.
  auto fresh = pool.acquire();
  EXPECT_NO_THROW(server_pid(*fresh));
  auto second = pool.acquire();
  EXPECT_NO_THROW(server_pid(*second));
}

class WakeCounter {
 public:
  std::function<void()> callback() {
    return [this] {
      std::lock_guard lock(mutex_);
      ++count_;
      changed_.notify_all();
    };
  }
  int count() {
    std::lock_guard lock(mutex_);
    return count_;
  }
  bool wait_beyond(int seen) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(60), [&] { return count_ > seen; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int count_ = 0;
};

TEST(PostgresReconnect, TheStoreAndItsListenerRecoverFromARestartOnTheirOwn) {
  TestDatabase database;
  WakeCounter woken;  // outlives the stores that call it
  PostgresOptions options;
  options.conninfo = database.conninfo();
  options.max_connections = 4;
  std::unique_ptr<Store> node_a = open_postgres_store(options);
  std::unique_ptr<Store> node_b = open_postgres_store(options);
  node_a->put_endpoint(make_endpoint("we_a", "acct_p", true, false));
  node_b->on_deliveries_due(woken.callback());
  ASSERT_TRUE(woken.wait_beyond(0));  // the look it takes once listening

  int seen = woken.count();
  shared_postgres().restart();
  // Reconnected and LISTENing again, the listener looks once.
  ASSERT_TRUE(woken.wait_beyond(seen)) << "the listener did not reconnect";

  // Each store answers again: a call may fail while its pool finds out.
  const auto eventually = [](const std::function<void()>& call) {
    for (int attempt = 0;; ++attempt) {
      try {
        call();
        return;
      } catch (const StoreUnavailable&) {
        if (attempt >= 50) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    }
  };
  eventually([&] { node_b->put_setting("b", "back"); });
  seen = woken.count();
  eventually([&] {
    node_a->insert_events({make_event("evt_1", "acct_c", 1, {"we_a"}, "charge.failed", false, 5)});
  });
  EXPECT_TRUE(woken.wait_beyond(seen)) << "no wake-up from the other node after the restart";
  EXPECT_EQ(node_b->get_setting("b"), "back");
}

}  // namespace
}  // namespace hookline::testing
