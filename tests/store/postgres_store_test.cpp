// What only the PostgreSQL store has: versioned migrations under an advisory
// lock, the refusal of a newer schema, connection loss as StoreUnavailable
// with reconnection afterwards, and wake-ups across nodes (LISTEN/NOTIFY).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "postgres_server.hpp"
#include "pg_store_on.hpp"
#include "store/postgres/pg_store.hpp"
#include "store_test_support.hpp"

namespace hookline::testing {
namespace {

TEST(PostgresStoreTest, NodesStartedTogetherAgreeOnOneSchema) {
  TestDatabase database;
  constexpr int kNodes = 6;
  std::atomic<int> opened{0};
  std::vector<std::thread> nodes;
  for (int i = 0; i < kNodes; ++i) {
    nodes.emplace_back([&, i] {
      std::unique_ptr<Store> store = open_postgres_on(database, 1);
      store->put_setting("node_" + std::to_string(i), "up");
      ++opened;
    });
  }
  for (std::thread& node : nodes) node.join();
  EXPECT_EQ(opened.load(), kNodes);
  shared_postgres().admin("SELECT 1");  // the server is fine
  std::unique_ptr<Store> store = open_postgres_on(database);
  for (int i = 0; i < kNodes; ++i) EXPECT_EQ(store->get_setting("node_" + std::to_string(i)), "up");
}

// A claim within a per-endpoint ceiling row-locks (FOR UPDATE SKIP LOCKED,
// which writes each locked row) the oldest due rows only up to the last one
// it may lease (each endpoint's oldest, up to the ceiling): here exactly what
// it leases. It used to lock the whole limit's worth of a backlog on one
// endpoint and lease a ceiling of it.
TEST(PostgresStoreTest, ACeilingClaimRowLocksOnlyWhatItCanLease) {
  TestDatabase database;
  std::unique_ptr<Store> store = open_postgres_on(database);
  store->put_endpoint(make_endpoint("we_busy", "acct_p", true, false));
  store->put_endpoint(make_endpoint("we_quiet", "acct_p", true, false));
  std::vector<NewEvent> events;
  for (int i = 0; i < 20; ++i) {
    events.push_back(make_event("evt_busy" + std::to_string(i), "acct_p", 1000, {"we_busy"},
                                "customer.created", false, 100 + i));
  }
  for (int i = 0; i < 2; ++i) {
    events.push_back(make_event("evt_quiet" + std::to_string(i), "acct_p", 1000, {"we_quiet"},
                                "customer.created", false, 90 + i));
  }
  store->insert_events(events);

  constexpr std::size_t kCeiling = 4;
  const std::vector<DueDelivery> claimed = store->claim_due(10'000, 70'000, 50, kCeiling);
  std::map<std::string, std::vector<std::string>> events_by_endpoint;
  for (const DueDelivery& item : claimed) {
    events_by_endpoint[item.delivery.endpoint_id].push_back(item.delivery.event_id);
  }
  // Each endpoint's oldest, up to the ceiling, in due order.
  EXPECT_EQ(events_by_endpoint["we_busy"],
            (std::vector<std::string>{"evt_busy0", "evt_busy1", "evt_busy2", "evt_busy3"}));
  EXPECT_EQ(events_by_endpoint["we_quiet"], (std::vector<std::string>{"evt_quiet0", "evt_quiet1"}));
  // A row locked and not updated keeps the locker's xid in xmax.
  EXPECT_EQ(shared_postgres().value("SELECT COUNT(*) FROM deliveries "
                                    "WHERE xmax::text <> '0' AND lease_until_ms = 0",
                                    database.name()),
            "0");
  // The next claim, once those leases ended, takes the next oldest (the
  // expired leases are due from their end, later than those).
  std::vector<std::string> next_busy;
  for (const DueDelivery& item : store->claim_due(80'000, 140'000, 50, kCeiling)) {
    if (item.delivery.endpoint_id == "we_busy") next_busy.push_back(item.delivery.event_id);
  }
  EXPECT_EQ(next_busy,
            (std::vector<std::string>{"evt_busy4", "evt_busy5", "evt_busy6", "evt_busy7"}));
}

TEST(PostgresStoreTest, RefusesADatabaseWithANewerSchema) {
  TestDatabase database;
  open_postgres_on(database)->put_setting("x", "y");
  // A later build migrated this database further.
  PostgresOptions options;
  options.conninfo = database.conninfo();
  const std::string insert = "INSERT INTO schema_version (version, applied_ms) VALUES (999, 0)";
  shared_postgres().admin(insert, database.name());
  try {
    open_postgres_store(options);
    FAIL() << "opened a database with a newer schema";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("newer than this build"), std::string::npos) << e.what();
  }
}

TEST(PostgresStoreTest, UnreachableServerIsStoreUnavailable) {
  PostgresOptions options;
  options.conninfo = "host=/nonexistent-hookline-socket-dir port=1 user=postgres connect_timeout=2";
  EXPECT_THROW(open_postgres_store(options), StoreUnavailable);
}

TEST(PostgresStoreTest, ConnectionLossIsStoreUnavailableThenTheStoreReconnects) {
  TestDatabase database;
  std::unique_ptr<Store> store = open_postgres_on(database, 2);
  store->put_setting("before", "1");
  // Every connection of the store is cut, as by a database restart.
  shared_postgres().admin(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
      database.name() + "'");
  EXPECT_THROW(store->get_setting("before"), StoreUnavailable);
  // The broken connection was dropped: the next call opens a new one.
  std::optional<std::string> value;
  for (int i = 0; i < 4 && !value; ++i) {
    try {
      value = store->get_setting("before");
    } catch (const StoreUnavailable&) {
      // another pooled connection that was cut too
    }
  }
  EXPECT_EQ(value, "1");
  store->put_setting("after", "2");
  EXPECT_EQ(store->get_setting("after"), "2");
}

TEST(PostgresStoreTest, BinaryResponseExcerptsAndBodiesRoundTrip) {
  TestDatabase database;
  std::unique_ptr<Store> store = open_postgres_on(database);
  store->put_endpoint(make_endpoint("we_a", "acct_p", true, false));
  store->insert_events({make_event("evt_1", "acct_c", 1, {"we_a"}, "charge.failed", false, 5)});
  const std::vector<DueDelivery> due = store->claim_due(5, 10, 10);
  ASSERT_EQ(due.size(), 1u);
  DeliveryOutcome outcome;
  outcome.delivery_id = due[0].delivery.id;
  outcome.attempt = Attempt{};
  outcome.attempt->at_ms = 5;
  outcome.attempt->http_status = 500;
  // Not text: a NUL byte and invalid UTF-8, as a receiver may answer.
  outcome.attempt->response_excerpt = std::string("a\0b\xff\xfe", 5);
  outcome.new_state = DeliveryState::kFailed;
  store->record_outcomes({outcome}, 5, 1'000'000);
  EXPECT_EQ(store->list_attempts_for_event("evt_1", {}).items.at(0).response_excerpt,
            std::string("a\0b\xff\xfe", 5));
  EXPECT_TRUE(store->put_idempotent("s", "k", {"h", 200, std::string("x\0y", 3), 1}));
  EXPECT_EQ(store->get_idempotent("s", "k")->body, std::string("x\0y", 3));
}

// Counts wake-ups; waits for the next one.
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
  // True once more than `seen` wake-ups happened (false after a generous bound).
  bool wait_beyond(int seen) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(30), [&] { return count_ > seen; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int count_ = 0;
};

TEST(PostgresStoreTest, DeliveriesMadeDueOnOneNodeWakeTheOthers) {
  TestDatabase database;
  WakeCounter woken;  // outlives the stores that call it
  std::unique_ptr<Store> node_a = open_postgres_on(database);
  std::unique_ptr<Store> node_b = open_postgres_on(database);
  node_a->put_endpoint(make_endpoint("we_a", "acct_p", true, false));
  node_b->on_deliveries_due(woken.callback());
  ASSERT_TRUE(woken.wait_beyond(0));  // the look it takes once listening

  int seen = woken.count();
  node_a->insert_events({make_event("evt_1", "acct_c", 1, {"we_a"}, "charge.failed", false, 5)});
  EXPECT_TRUE(woken.wait_beyond(seen)) << "an event published on A did not wake B";

  seen = woken.count();
  node_a->add_manual_delivery("evt_1", "we_a", 5);
  EXPECT_TRUE(woken.wait_beyond(seen)) << "a resend on A did not wake B";
}

TEST(PostgresStoreTest, TheListenerReconnectsAfterItsConnectionIsCut) {
  TestDatabase database;
  WakeCounter woken;  // outlives the stores that call it
  std::unique_ptr<Store> node_a = open_postgres_on(database);
  std::unique_ptr<Store> node_b = open_postgres_on(database);
  node_a->put_endpoint(make_endpoint("we_a", "acct_p", true, false));
  node_b->on_deliveries_due(woken.callback());
  ASSERT_TRUE(woken.wait_beyond(0));
  int seen = woken.count();
  shared_postgres().admin(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
      database.name() + "' AND query LIKE 'LISTEN%'");
  // Reconnected (LISTEN again), it looks once; then notifications reach it again.
  ASSERT_TRUE(woken.wait_beyond(seen));
  seen = woken.count();
  node_a->insert_events({make_event("evt_1", "acct_c", 1, {"we_a"}, "charge.failed", false, 5)});
  EXPECT_TRUE(woken.wait_beyond(seen)) << "no wake-up after the listener reconnected";
}

}  // namespace
}  // namespace hookline::testing
