// Issue 15: event bodies moved out of the events rows (SQLite migration 3,
// PostgreSQL migration 4). A database written by the schema before it is
// opened by this build; every event reads back byte for byte, through every
// path that returns a body (get, list, claim), and an outcome on it after the
// migration still counts down pending_webhooks.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "postgres_server.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_schema.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_schema.hpp"
#include "store_backends.hpp"
#include "store_test_support.hpp"

namespace hookline::testing {
namespace {

constexpr int64_t kNow = 5'000'000;
constexpr const char* kAccount = "acct_platform";

struct OldEvent {
  std::string id;
  std::string body;
};

// Bodies a migration could mangle: multibyte UTF-8, escapes, quotes, one
// larger than a page (SQLite overflow pages, PostgreSQL TOAST).
std::vector<OldEvent> old_events(bool binary_safe) {
  std::vector<OldEvent> events = {
      {"evt_small", R"({"id":"evt_small","object":"event"})"},
      {"evt_utf8", "{\"name\":\"Zo\xC3\xAB \xE2\x82\xAC \xF0\x9F\x98\x80\",\"q\":\"\\\"'\\\\\"}"},
      {"evt_large", "{\"pad\":\"" + std::string(9000, 'x') + "\"}"},
      {"evt_lines", "{\n  \"a\": 1,\r\n\t\"b\": [true, false, null]\n}"},
  };
  if (binary_safe) {
    std::string bytes;
    for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
    events.push_back({"evt_bytes", bytes});
  }
  return events;
}

class EventBodiesMigrationTest : public ::testing::TestWithParam<Backend> {
 protected:
  bool postgres() const { return GetParam() == Backend::kPostgres; }

  // The database as the build before the migration left it: the schema up to
  // the previous version, events with their body inline, one pending delivery
  // per event.
  void write_old_database(const std::vector<OldEvent>& events) {
    const char* insert_event =
        "INSERT INTO events (id, account_id, livemode, type, created, pending_webhooks, body) "
        "VALUES (?, ?, 0, 'customer.created', ?, 1, ?)";
    const char* insert_delivery =
        "INSERT INTO deliveries (event_id, event_seq, endpoint_id, state, manual, attempt_count, "
        "next_attempt_ms, created_ms, last_http_status, last_error) "
        "SELECT id, seq, 'we_1', 'pending', 0, 0, ?, ?, 0, '' FROM events WHERE id = ?";
    if (postgres()) {
      database_.emplace();
      postgres::PgConnection db(database_->conninfo());
      postgres::migrate(db, 3);
      for (std::size_t i = 0; i < events.size(); ++i) {
        postgres::Query(db, insert_event)
            .bind(1, events[i].id)
            .bind(2, kAccount)
            .bind(3, static_cast<int64_t>(1000 + i))
            .bind(4, events[i].body)
            .run();
        postgres::Query(db, insert_delivery)
            .bind(1, kNow - 1000 + static_cast<int64_t>(i))
            .bind(2, kNow - 1000)
            .bind(3, events[i].id)
            .run();
      }
      return;
    }
    sqlite::SqliteConnection db(dir_.file("hookline.db"));
    sqlite::migrate(db, 2);
    for (std::size_t i = 0; i < events.size(); ++i) {
      sqlite::Query(db, insert_event)
          .bind(1, events[i].id)
          .bind(2, kAccount)
          .bind(3, static_cast<int64_t>(1000 + i))
          .bind_blob(4, events[i].body)
          .run();
      sqlite::Query(db, insert_delivery)
          .bind(1, kNow - 1000 + static_cast<int64_t>(i))
          .bind(2, kNow - 1000)
          .bind(3, events[i].id)
          .run();
    }
  }

  std::unique_ptr<Store> open() {
    if (!postgres()) return open_sqlite_store(dir_.file("hookline.db"));
    PostgresOptions options;
    options.conninfo = database_->conninfo();
    return open_postgres_store(options);
  }

  TempDir dir_;
  std::optional<TestDatabase> database_;
};
HOOKLINE_STORE_BACKENDS(EventBodiesMigrationTest);

TEST_P(EventBodiesMigrationTest, EveryEventOfAnOldDatabaseReadsBackByteForByte) {
  const std::vector<OldEvent> events = old_events(!postgres());
  write_old_database(events);
  std::unique_ptr<Store> store = open();

  for (const OldEvent& old : events) {
    const std::optional<StoredEvent> event = store->get_event(old.id);
    ASSERT_TRUE(event) << old.id;
    EXPECT_EQ(event->body, old.body) << old.id;
    EXPECT_EQ(event->pending_webhooks, 1) << old.id;
  }
  EventFilter filter;
  filter.account_id = kAccount;
  PageRequest page;
  page.limit = 100;
  const Page<StoredEvent> listed = store->list_events(filter, page);
  ASSERT_EQ(listed.items.size(), events.size());
  for (const StoredEvent& event : listed.items) {
    const auto old = std::find_if(events.begin(), events.end(),
                                  [&](const OldEvent& e) { return e.id == event.id; });
    ASSERT_NE(old, events.end()) << event.id;
    EXPECT_EQ(event.body, old->body) << event.id;
  }

  // The deliveries written before the migration are claimed with their body,
  // and their outcomes count down the event's pending_webhooks.
  const std::vector<DueDelivery> due = store->claim_due(kNow, kNow + 60'000, 100);
  ASSERT_EQ(due.size(), events.size());
  std::vector<DeliveryOutcome> outcomes;
  for (const DueDelivery& item : due) {
    const auto old = std::find_if(events.begin(), events.end(), [&](const OldEvent& e) {
      return e.id == item.delivery.event_id;
    });
    ASSERT_NE(old, events.end()) << item.delivery.event_id;
    EXPECT_EQ(item.event_body, old->body) << old->id;
    DeliveryOutcome outcome;
    outcome.delivery_id = item.delivery.id;
    outcome.attempt = Attempt{};
    outcome.attempt->at_ms = kNow;
    outcome.attempt->http_status = 200;
    outcome.attempt->success = true;
    outcome.new_state = DeliveryState::kSucceeded;
    outcomes.push_back(outcome);
  }
  store->record_outcomes(outcomes, kNow, 3 * 86'400'000);
  for (const OldEvent& old : events) {
    const std::optional<StoredEvent> event = store->get_event(old.id);
    ASSERT_TRUE(event) << old.id;
    EXPECT_EQ(event->pending_webhooks, 0) << old.id;
    EXPECT_EQ(event->body, old.body) << old.id;
  }
}

// Events written after the migration keep their body too, next to the old ones.
TEST_P(EventBodiesMigrationTest, NewEventsAfterTheMigrationKeepTheirBody) {
  write_old_database(old_events(!postgres()));
  std::unique_ptr<Store> store = open();
  NewEvent added = make_event("evt_new", kAccount, 5000);
  added.event.body = "{\"id\":\"evt_new\",\"pad\":\"" + std::string(5000, 'y') + "\"}";
  store->insert_events({added});
  EXPECT_EQ(store->get_event("evt_new")->body, added.event.body);
  EXPECT_EQ(store->get_event("evt_small")->body, R"({"id":"evt_small","object":"event"})");
}

}  // namespace
}  // namespace hookline::testing
