// bench_load: the load generator of hookline's benchmarks.
//
//   bench_load create-endpoints --port P --key sk_test_… (--url U… | --urls-file F)
//       creates webhook endpoints (all event types); prints a JSON summary.
//   bench_load publish --port P --key sk_test_… [--connections 16] [--rate R]
//                      [--duration S] [--count N] [--body-bytes 807] [--events-file F]
//       POSTs events to /v1/events over keep-alive connections, at R events/s
//       (0: as fast as the server acknowledges) until S seconds or N events;
//       prints a JSON summary (and, with --events-file, one line per event).
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "endpoint_creator.hpp"
#include "publish_connection.hpp"
#include "publish_run.hpp"
#include "publish_summary.hpp"

namespace {

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void raise_open_files_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

int run_publish(const bench::PublishOptions& options, const std::string& events_file) {
  raise_open_files_limit();
  boost::asio::io_context io(options.threads);
  const boost::asio::ip::tcp::endpoint server(boost::asio::ip::make_address(options.host),
                                              options.port);
  bench::PublishRun run(options, now_ns());
  for (int i = 0; i < options.connections; ++i) {
    std::make_shared<bench::PublishConnection>(boost::asio::make_strand(io), options, server, run)
        ->start();
  }
  std::vector<std::thread> pool;
  for (int i = 1; i < options.threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
  const int64_t end_ns = now_ns();
  std::printf("%s\n", bench::publish_summary_json(run, options, end_ns).c_str());
  if (!events_file.empty()) bench::write_events_file(run, events_file);
  return 0;
}

int run_create_endpoints(const bench::PublishOptions& options, std::vector<std::string> urls,
                         const std::string& urls_file, const std::string& enabled_event) {
  if (!urls_file.empty()) {
    std::ifstream in(urls_file);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) urls.push_back(line);
    }
  }
  const auto created =
      bench::create_endpoints(options.host, options.port, options.api_key, urls, enabled_event);
  boost::json::array ids;
  int failed = 0;
  std::string first_error;
  for (const auto& endpoint : created) {
    if (endpoint.status == 200) {
      ids.push_back(boost::json::string(endpoint.id));
    } else if (failed++ == 0) {
      first_error = std::to_string(endpoint.status) + " " + endpoint.error_body;
    }
  }
  boost::json::object summary{{"created", ids.size()}, {"failed", failed}, {"ids", ids}};
  if (failed) summary["first_error"] = first_error;
  std::printf("%s\n", boost::json::serialize(summary).c_str());
  return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Load generator for hookline's benchmarks"};
  app.require_subcommand(1);
  bench::PublishOptions options;
  auto add_server_options = [&options](CLI::App* command) {
    command->add_option("--host", options.host, "hookline's address")->capture_default_str();
    command->add_option("--port", options.port, "hookline's port")->required();
    command->add_option("--key", options.api_key, "Secret key (sk_test_…)")
        ->envname("HOOKLINE_API_KEY")
        ->required();
  };

  CLI::App* publish = app.add_subcommand("publish", "Publish events over the API");
  add_server_options(publish);
  std::string events_file;
  publish->add_option("--connections", options.connections, "Keep-alive connections")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  publish->add_option("--threads", options.threads, "Threads driving the connections")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  publish->add_option("--rate", options.rate, "Events per second (0: as fast as possible)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  publish->add_option("--duration", options.duration_s, "Seconds to publish (0: no limit)")
      ->check(CLI::NonNegativeNumber);
  publish->add_option("--count", options.count, "Events to publish (0: no limit)")
      ->check(CLI::NonNegativeNumber);
  publish->add_option("--body-bytes", options.body_bytes, "Size of each published JSON body")
      ->capture_default_str();
  publish->add_option("--type", options.event_type, "Event type")->capture_default_str();
  publish->add_option("--events-file", events_file,
                      "Write '<event id> <send ns> <ack ns> <status>' per event");

  CLI::App* create = app.add_subcommand("create-endpoints", "Create webhook endpoints");
  add_server_options(create);
  std::vector<std::string> urls;
  std::string urls_file;
  std::string enabled_event = "*";
  create->add_option("--url", urls, "Endpoint URL (repeatable)");
  create->add_option("--urls-file", urls_file, "File with one endpoint URL per line");
  create->add_option("--enabled-event", enabled_event, "enabled_events[] of each endpoint")
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  try {
    if (publish->parsed()) {
      if (options.duration_s <= 0 && options.count <= 0) {
        std::fprintf(stderr, "bench_load publish: give --duration or --count\n");
        return 2;
      }
      return run_publish(options, events_file);
    }
    return run_create_endpoints(options, urls, urls_file, enabled_event);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_load: %s\n", e.what());
    return 1;
  }
}
