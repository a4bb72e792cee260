// What opening the store costs with its integrity check (PRAGMA quick_check)
// on a large database: fills a store in $TMPDIR with N events (default
// 1,000,000; ~600-byte bodies, one delivery and one attempt each), closes it,
// then times open_sqlite_store (quick_check + migrations + the pending count)
// and quick_check alone, cold and warm page cache permitting.
// Run: build/bench/store/bench_open_check [events] [--keep DIR]
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

hookline::NewEvent bench_event(int64_t n) {
  hookline::NewEvent item;
  const std::string id = "evt_1Bench" + std::to_string(100000000 + n);
  item.event.id = id;
  item.event.account_id = "acct_1BenchConnectedAccount";
  item.event.type = "payment_intent.succeeded";
  item.event.created = 1'767'225'600 + n / 100;
  item.event.body = R"({"id":")" + id + R"(","object":"event","api_version":"2026-10-28.endive",)" +
                    R"("data":{"object":{"id":"pi_3BenchPaymentIntent000000","object":)" +
                    R"("payment_intent","amount":2000,"currency":"usd","status":"succeeded",)" +
                    R"("customer":null,"description":"A benchmark payment","metadata":)" +
                    R"({"order_id":"6735"},"payment_method_types":["card"],"livemode":false}},)" +
                    R"("livemode":false,"pending_webhooks":1,"request":{"id":"req_Bench",)" +
                    R"("idempotency_key":null},"type":"payment_intent.succeeded",)" +
                    R"("account":"acct_1BenchConnectedAccount"})";
  item.endpoint_ids = {"we_1Bench"};
  item.first_attempt_ms = 1;
  return item;
}

void fill(const std::string& path, int64_t events) {
  auto store = hookline::open_sqlite_store(path);
  constexpr int64_t kBatch = 2000;
  for (int64_t done = 0; done < events; done += kBatch) {
    std::vector<hookline::NewEvent> batch;
    for (int64_t n = done; n < std::min(events, done + kBatch); ++n)
      batch.push_back(bench_event(n));
    store->insert_events(batch);
    // Settle them, with an attempt each, as a store that has run a while.
    auto due = store->claim_due(1, 2, static_cast<std::size_t>(kBatch));
    std::vector<hookline::DeliveryOutcome> outcomes;
    for (const auto& item : due) {
      hookline::DeliveryOutcome out;
      out.delivery_id = item.delivery.id;
      out.event_id = item.delivery.event_id;
      out.endpoint_id = item.delivery.endpoint_id;
      out.attempt = hookline::Attempt{};
      out.attempt->at_ms = 1;
      out.attempt->http_status = 200;
      out.attempt->success = true;
      out.new_state = hookline::DeliveryState::kSucceeded;
      outcomes.push_back(out);
    }
    store->record_outcomes(outcomes, 1, 1'000'000);
  }
}

double time_quick_check(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  const auto start = Clock::now();
  sqlite3_exec(db, "PRAGMA quick_check", nullptr, nullptr, nullptr);
  const double elapsed = seconds_since(start);
  sqlite3_close(db);
  return elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t events = argc > 1 ? std::stoll(argv[1]) : 1'000'000;
  std::filesystem::path dir;
  bool keep = false;
  if (argc > 3 && std::string(argv[2]) == "--keep") {
    dir = argv[3];
    keep = true;
    std::filesystem::create_directories(dir);
  } else {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "hookline-open-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) return 1;
    dir = pattern;
  }
  const std::string path = (dir / "hookline.db").string();
  if (!std::filesystem::exists(path)) {
    const auto start = Clock::now();
    fill(path, events);
    std::printf("filled %lld events in %.1f s\n", static_cast<long long>(events),
                seconds_since(start));
  }
  std::printf("database: %.0f MiB\n",
              static_cast<double>(std::filesystem::file_size(path)) / (1 << 20));
  for (int run = 0; run < 2; ++run) {
    const auto start = Clock::now();
    hookline::open_sqlite_store(path).reset();
    std::printf("open_sqlite_store (quick_check included): %.2f s\n", seconds_since(start));
    std::printf("PRAGMA quick_check alone: %.2f s\n", time_quick_check(path));
  }
  if (!keep) std::filesystem::remove_all(dir);
  return 0;
}
