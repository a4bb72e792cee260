// Drain rate and publish-to-delivery latency of the dispatcher against a local
// receiver (tests/support/test_receiver), on a file-backed SQLite store.
//
//   drain_bench [backlog=20000] [endpoints=1] [per_endpoint=64]
//
// 1. Commits `backlog` events (one delivery per endpoint each), starts the
//    dispatcher, and reports deliveries per second until none is pending.
// 2. Then publishes 2,000 single events at about 1,000/s, waking the
//    dispatcher after each commit, and reports the latency from commit to
//    the receiver's read of the request (p50/p99).
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/cfg/env.h>

#include "core/clock.hpp"
#include "delivery/dispatcher.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "test_receiver.hpp"

using namespace hookline;
using Steady = std::chrono::steady_clock;

namespace {

NewEvent make_event(int n, const std::vector<std::string>& endpoints, int64_t now_ms) {
  NewEvent item;
  item.event.id = "evt_" + std::to_string(n);
  item.event.account_id = "acct_platform";
  item.event.type = "payment_intent.succeeded";
  item.event.created = now_ms / 1000;
  item.event.body = R"({"id":")" + item.event.id +
                    R"(","object":"event","api_version":"2026-10-28.endive","created":)" +
                    std::to_string(now_ms / 1000) +
                    R"(,"data":{"object":{"id":"pi_3MtwBwLkdIwHu7ix28a3tqPa","object":"payment_intent","amount":2000,"currency":"usd","status":"succeeded"}},"livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"payment_intent.succeeded"})";
  item.event.pending_webhooks = static_cast<int>(endpoints.size());
  item.endpoint_ids = endpoints;
  item.first_attempt_ms = now_ms;
  return item;
}

// CPU seconds used so far by each thread, by thread name.
std::map<std::string, double> cpu_by_thread() {
  std::map<std::string, double> cpu;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm_file(task.path() / "comm");
    std::string comm;
    std::getline(comm_file, comm);
    std::ifstream stat_file(task.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
      if (i == 14 || i == 15) ticks += std::stod(field);
    }
    cpu[comm] += ticks / tick;
  }
  return cpu;
}

void print_cpu(const std::map<std::string, double>& before, const std::map<std::string, double>& after,
               int64_t deliveries) {
  for (const auto& [name, seconds] : after) {
    const double used = seconds - (before.count(name) ? before.at(name) : 0.0);
    if (used <= 0) continue;
    std::printf("  cpu %-16s %.2f s = %.1f us/delivery\n", name.c_str(), used,
                used * 1e6 / static_cast<double>(deliveries));
  }
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::cfg::load_env_levels();  // SPDLOG_LEVEL=debug shows every attempt
  const int backlog = argc > 1 ? std::atoi(argv[1]) : 20'000;
  const int endpoint_count = argc > 2 ? std::atoi(argv[2]) : 1;
  const std::size_t per_endpoint = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 64;

  char dir_template[] = "/tmp/hookline-drain-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  SystemClock clock;
  hookline::testing::TestReceiver receiver;
  {
    std::unique_ptr<Store> store = open_sqlite_store(dir + "/hookline.db");
    Account platform;
    platform.id = "acct_platform";
    platform.type = AccountType::kPlatform;
    store->put_account(platform);
    std::vector<std::string> endpoints;
    for (int i = 0; i < endpoint_count; ++i) {
      WebhookEndpoint endpoint;
      endpoint.id = "we_" + std::to_string(i);
      endpoint.account_id = "acct_platform";
      endpoint.url = receiver.url("/hook");
      endpoint.enabled_events = {"*"};
      endpoint.secrets = {{"whsec_" + endpoint.id, 0}};
      store->put_endpoint(endpoint);
      endpoints.push_back(endpoint.id);
    }
    std::vector<NewEvent> batch;
    for (int n = 0; n < backlog; ++n) {
      batch.push_back(make_event(n, endpoints, clock.now_ms()));
      if (batch.size() == 1000) {
        store->insert_events(batch);
        batch.clear();
      }
    }
    if (!batch.empty()) store->insert_events(batch);
    const int64_t total = store->count_pending_deliveries();

    DispatcherOptions options;
    options.max_in_flight_per_endpoint = per_endpoint;
    Dispatcher dispatcher(*store, clock, options);
    const auto started = Steady::now();
    dispatcher.start();
    const auto cpu_before = cpu_by_thread();
    while (store->count_pending_deliveries() > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const double seconds = std::chrono::duration<double>(Steady::now() - started).count();
    std::printf("drain: %lld deliveries in %.2f s = %.0f/s (receiver saw %zu, %zu connections)\n",
                static_cast<long long>(total), seconds, static_cast<double>(total) / seconds,
                receiver.request_count(), receiver.connection_count());
    print_cpu(cpu_before, cpu_by_thread(), total);

    // Latency at ~1,000 events/s.
    const std::size_t before = receiver.request_count();
    std::vector<Steady::time_point> committed;
    constexpr int kLatencyEvents = 2'000;
    const auto begin = Steady::now();
    for (int n = 0; n < kLatencyEvents; ++n) {
      std::this_thread::sleep_until(begin + std::chrono::microseconds(1000) * n);
      store->insert_events({make_event(backlog + n, {endpoints[0]}, clock.now_ms())});
      committed.push_back(Steady::now());
      dispatcher.wake();
    }
    receiver.wait_for_requests("", before + kLatencyEvents, std::chrono::seconds(30));
    const auto requests = receiver.requests();
    std::vector<double> latencies_ms;
    for (std::size_t i = before; i < requests.size(); ++i) {
      const int n = std::atoi(requests[i].body.c_str() + 11) - backlog;  // {"id":"evt_N
      if (n < 0 || n >= kLatencyEvents) continue;
      latencies_ms.push_back(
          std::chrono::duration<double, std::milli>(requests[i].received_at - committed[n])
              .count());
    }
    std::sort(latencies_ms.begin(), latencies_ms.end());
    if (!latencies_ms.empty()) {
      std::printf("latency commit->received at 1000/s: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms (%zu)\n",
                  latencies_ms[latencies_ms.size() / 2], latencies_ms[latencies_ms.size() * 9 / 10],
                  latencies_ms[latencies_ms.size() * 99 / 100], latencies_ms.size());
    }
    dispatcher.stop();
  }
  std::string command = "rm -rf " + dir;
  return std::system(command.c_str());
}
