// Store benchmarks on a file-backed SQLite database (in $TMPDIR):
//   BM_GroupCommit/threads:N   events/s committed durably (synchronous=FULL)
//                              by N threads calling GroupCommitWriter::write;
//   BM_ClaimDue/<backlog>      deliveries/s claimed 500 at a time from a backlog
//                              of <backlog> pending deliveries;
//   BM_ClaimAndRecord/<backlog> claim 500 + record 500 outcomes (the dispatcher's loop).
// Run: build/bench/store/bench_store   (items_per_second is the number to read)
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "store/group_commit.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace hookline {
namespace {

constexpr std::size_t kClaimBatch = 500;
constexpr int kEndpoints = 10;

// A store in a fresh directory, removed when destroyed.
class BenchStore {
 public:
  BenchStore() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "hookline-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    store_ = open_sqlite_store((dir_ / "hookline.db").string());
  }
  ~BenchStore() {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  Store& store() { return *store_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

// A realistic event: ~600 bytes of body, one delivery per endpoint.
NewEvent bench_event(const std::string& id, int endpoints, int64_t due_ms) {
  NewEvent item;
  item.event.id = id;
  item.event.account_id = "acct_1BenchConnectedAccount";
  item.event.type = "payment_intent.succeeded";
  item.event.created = 1'767'225'600;
  item.event.body =
      R"({"id":")" + id +
      R"(","object":"event","api_version":"2026-10-28.endive","created":1767225600,)"
      R"("data":{"object":{"id":"pi_3BenchPaymentIntent000000","object":"payment_intent",)"
      R"("amount":2000,"currency":"usd","status":"succeeded","customer":null,)"
      R"("description":"A benchmark payment","metadata":{"order_id":"6735"},)"
      R"("payment_method_types":["card"],"livemode":false}},"livemode":false,)"
      R"("pending_webhooks":1,"request":{"id":"req_BenchRequest0000","idempotency_key":null},)"
      R"("type":"payment_intent.succeeded","account":"acct_1BenchConnectedAccount"})";
  for (int i = 0; i < endpoints; ++i) item.endpoint_ids.push_back("we_bench_" + std::to_string(i));
  item.event.pending_webhooks = endpoints;
  item.first_attempt_ms = due_ms;
  return item;
}

// --- group commit

std::unique_ptr<BenchStore> group_store;
std::unique_ptr<GroupCommitWriter> group_writer;

void BM_GroupCommit(benchmark::State& state) {
  if (state.thread_index() == 0) {
    group_store = std::make_unique<BenchStore>();
    group_writer = std::make_unique<GroupCommitWriter>(group_store->store());
  }
  int64_t n = 0;
  const std::string prefix = "evt_t" + std::to_string(state.thread_index()) + "_";
  for (auto _ : state) {
    group_writer->write(bench_event(prefix + std::to_string(n++), 1, 0));
  }
  state.SetItemsProcessed(n);
  if (state.thread_index() == 0) {
    group_writer.reset();
    group_store.reset();
  }
}
BENCHMARK(BM_GroupCommit)->Threads(1)->Threads(8)->Threads(64)->UseRealTime()->MinTime(3.0);

// --- the queue

// Fills `store` with `backlog` pending deliveries to kEndpoints endpoints, all due at 0.
void fill_backlog(Store& store, int64_t backlog) {
  for (int i = 0; i < kEndpoints; ++i) {
    WebhookEndpoint endpoint;
    endpoint.id = "we_bench_" + std::to_string(i);
    endpoint.account_id = "acct_platform";
    endpoint.connect = true;
    endpoint.url = "https://example.com/hooks/" + std::to_string(i);
    endpoint.enabled_events = {"*"};
    endpoint.secrets = {{"whsec_benchbenchbenchbenchbenchbenc", 0}};
    store.put_endpoint(endpoint);
  }
  std::vector<NewEvent> batch;
  const int64_t events = backlog / kEndpoints;
  for (int64_t i = 0; i < events; ++i) {
    batch.push_back(bench_event("evt_backlog_" + std::to_string(i), kEndpoints, 0));
    if (batch.size() == 1000) {
      store.insert_events(batch);
      batch.clear();
    }
  }
  store.insert_events(batch);
}

void BM_ClaimDue(benchmark::State& state) {
  BenchStore bench;
  fill_backlog(bench.store(), state.range(0));
  int64_t now = 1;
  int64_t claimed = 0;
  for (auto _ : state) {
    // Each claim leases its rows until now + 1: behind the rest of the backlog,
    // so the walk goes round the whole backlog again and again.
    claimed += static_cast<int64_t>(bench.store().claim_due(now, now + 1, kClaimBatch).size());
    ++now;
  }
  state.SetItemsProcessed(claimed);
}
BENCHMARK(BM_ClaimDue)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->MinTime(3.0);

void BM_ClaimAndRecord(benchmark::State& state) {
  BenchStore bench;
  fill_backlog(bench.store(), state.range(0));
  int64_t now = 1;
  int64_t processed = 0;
  std::vector<DeliveryOutcome> outcomes;
  for (auto _ : state) {
    const std::vector<DueDelivery> due = bench.store().claim_due(now, now + 1, kClaimBatch);
    outcomes.clear();
    for (const DueDelivery& item : due) {
      DeliveryOutcome outcome;
      outcome.delivery_id = item.delivery.id;
      outcome.event_id = item.delivery.event_id;
      outcome.endpoint_id = item.delivery.endpoint_id;
      outcome.attempt = Attempt{};
      outcome.attempt->at_ms = now;
      outcome.attempt->http_status = 500;
      outcome.attempt->response_excerpt = "Internal Server Error";
      outcome.new_state = DeliveryState::kPending;
      outcome.next_attempt_ms = now + 1;
      outcomes.push_back(std::move(outcome));
    }
    bench.store().record_outcomes(outcomes, now, int64_t{1} << 50);
    processed += static_cast<int64_t>(due.size());
    ++now;
  }
  state.SetItemsProcessed(processed);
}
BENCHMARK(BM_ClaimAndRecord)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->MinTime(3.0);

}  // namespace
}  // namespace hookline

BENCHMARK_MAIN();
