// What one group-commit batch's rows cost on PostgreSQL (issue 15, h18g):
// batches of 1, 3 and 30 events (each one delivery asked leased, a ~700-byte
// body, an object) written with Store::insert_events_within_ceiling on a
// private server (fsync on); prints, per batch size, the wall time per batch
// and the server's CPU time (all its processes, from /proc, in clock ticks:
// read it over 1,000 batches or more) per event. Without a ceiling: the
// hand-over's endpoint lock and lease count are not measured (the leases here
// never end, so their count would only grow).
// Run: build/bench/store/bench_pg_insert [batches]
#include <dirent.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "postgres_server.hpp"
#include "store/postgres/pg_store.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// The server's processes' CPU time, in clock ticks: the postmaster (the
// first line of postmaster.pid in the data directory) and its children.
long long server_ticks(const std::string& socket_dir) {
  std::ifstream pid_file(socket_dir + "/data/postmaster.pid");
  long long postmaster = 0;
  pid_file >> postmaster;
  long long ticks = 0;
  DIR* proc = opendir("/proc");
  while (dirent* entry = readdir(proc)) {
    const std::string name = entry->d_name;
    if (name.empty() || name[0] < '0' || name[0] > '9') continue;
    std::ifstream stat_file("/proc/" + name + "/stat");
    std::string stat((std::istreambuf_iterator<char>(stat_file)), {});
    const std::size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    std::vector<std::string> values;
    while (fields >> field) values.push_back(field);
    if (values.size() < 13) continue;
    const long long pid = std::stoll(name), ppid = std::stoll(values[1]);
    if (pid != postmaster && ppid != postmaster) continue;
    ticks += std::stoll(values[11]) + std::stoll(values[12]);  // utime, stime
  }
  closedir(proc);
  return ticks;
}

hookline::NewEvent bench_event(int64_t n, int64_t now_ms) {
  hookline::NewEvent item;
  item.event.id = "evt_bench" + std::to_string(n);
  item.event.account_id = "acct_platform";
  item.event.type = "customer.created";
  item.event.created = now_ms / 1000;
  item.event.body = "{\"id\":\"" + item.event.id +
                    "\",\"object\":\"event\",\"data\":{\"object\":{\"id\":\"cus_bench" +
                    std::to_string(n) + "\",\"object\":\"customer\",\"description\":\"" +
                    std::string(640, 'x') + "\"}},\"type\":\"customer.created\"}";
  item.endpoint_ids = {"we_bench"};
  item.first_attempt_ms = now_ms;
  item.lease_until_ms = now_ms + 60'000;
  item.object_type = "customer";
  item.object_id = "cus_bench" + std::to_string(n);
  item.object_json = "{\"id\":\"" + item.object_id + "\",\"object\":\"customer\"}";
  return item;
}

}  // namespace

int main(int argc, char** argv) {
  const int batches = argc > 1 ? std::atoi(argv[1]) : 1000;
  hookline::testing::PostgresServer server;  // its own: stopped when main returns
  server.admin("CREATE DATABASE bench");
  const std::string conninfo = server.conninfo("bench");
  const std::string socket_dir = conninfo.substr(5, conninfo.find(' ') - 5);
  hookline::PostgresOptions options;
  options.conninfo = conninfo;
  auto store = hookline::open_postgres_store(options);
  hookline::WebhookEndpoint endpoint;
  endpoint.id = "we_bench";
  endpoint.account_id = "acct_platform";
  endpoint.url = "http://127.0.0.1:9/x";
  endpoint.enabled_events = {"*"};
  store->put_endpoint(endpoint);
  int64_t n = 0;
  const int64_t now_ms = 1'767'225'600'000;
  std::printf("%-6s %8s %14s %18s\n", "events", "batches", "wall us/batch", "server CPU us/event");
  for (const int size : {1, 3, 30}) {
    const int rounds = size == 30 ? batches / 5 : batches;
    const long long ticks_before = server_ticks(socket_dir);
    const auto start = Clock::now();
    for (int round = 0; round < rounds; ++round) {
      std::vector<hookline::NewEvent> events;
      for (int i = 0; i < size; ++i) events.push_back(bench_event(++n, now_ms));
      store->insert_events_within_ceiling(events, 0);
    }
    const double wall_us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    const double cpu_us = static_cast<double>(server_ticks(socket_dir) - ticks_before) * 1e6 /
                          static_cast<double>(sysconf(_SC_CLK_TCK));
    std::printf("%-6d %8d %14.1f %18.1f\n", size, rounds, wall_us / rounds,
                cpu_us / (static_cast<double>(rounds) * size));
  }
  store.reset();
  return 0;
}
