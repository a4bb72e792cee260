// The dispatcher on a store shared by nodes (PostgreSQL), where an endpoint's
// ceiling (max_in_flight_per_endpoint) counts the leases in the database.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "delivery/dispatcher.hpp"
#include "postgres_server.hpp"
#include "store/pg_store_on.hpp"
#include "store/store_test_support.hpp"
#include "test_receiver.hpp"

namespace hookline::testing {
namespace {

using namespace std::chrono_literals;

// A backlog on one endpoint whose ceiling is 1: each delivery's lease ends
// when its outcome is written, and only then can the next one be claimed. A
// claim asked for as soon as an attempt ended (before its outcome was
// written) found the endpoint still full and came back empty: two claims per
// delivery, each reading the backlog. Claims are asked for when outcomes are
// written instead.
TEST(DispatcherPostgresTest, AnEndpointAtItsCeilingIsClaimedAgainWhenOutcomesAreWritten) {
  constexpr int kEvents = 30;
  TestDatabase database;
  std::unique_ptr<Store> store = open_postgres_on(database);
  store->put_account(make_account("acct_platform", AccountType::kPlatform));
  TestReceiver receiver;
  WebhookEndpoint endpoint = make_endpoint("we_a", "acct_platform", false, false);
  endpoint.url = receiver.url("/a");
  store->put_endpoint(endpoint);
  ManualClock clock;
  std::vector<NewEvent> events;
  for (int i = 0; i < kEvents; ++i) {
    events.push_back(make_event("evt_" + std::to_string(i), "acct_platform", clock.now_seconds(),
                                {"we_a"}, "payment_intent.succeeded", false, clock.now_ms()));
  }
  store->insert_events(events);

  DispatcherOptions options;
  options.jitter = 0.0;
  options.max_in_flight_per_endpoint = 1;
  Metrics metrics;
  Dispatcher dispatcher(*store, clock, options, nullptr, &metrics);
  dispatcher.start();
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (receiver.request_count("/a") < kEvents && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_EQ(receiver.request_count("/a"), static_cast<std::size_t>(kEvents));
  // One claim per delivery, plus the start's and a few rechecks (every 250 ms
  // of a run of about a second); asking after each attempt made it about two.
  EXPECT_LE(dispatcher.claim_passes(), static_cast<uint64_t>(kEvents + kEvents / 3))
      << "claims that found the endpoint still at its ceiling";
  dispatcher.stop();
}

}  // namespace
}  // namespace hookline::testing
