// bench_receiver: the receiving end of hookline's benchmarks (and wrk's
// reference). Keep-alive HTTP on loopback; answers 200 with an empty body and
// counts requests. Prints one "bench_receiver listening on http://HOST:PORT"
// line per port, then "bench_receiver ready".
//
//   bench_receiver [--port 0] [--ports 1] [--threads 2] [--delay-ms 0]
//                  [--fail-rate 0] [--never-answer PATH]... [--record-arrivals]
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <cstdio>
#include <thread>
#include <vector>

#include "receiver_listener.hpp"
#include "receiver_state.hpp"

namespace {

// Many endpoints (P4) and held connections (P5) need more than the default 1024 fds.
void raise_open_files_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Benchmark receiver: answers 200 with an empty body, counts requests"};
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  int ports = 1;
  int threads = 2;
  bench::ReceiverBehaviour behaviour;
  std::vector<std::string> never_answer;
  app.add_option("--host", host, "Address to listen on")->capture_default_str();
  app.add_option("--port", port, "First port (0: free ports picked by the system)")
      ->capture_default_str();
  app.add_option("--ports", ports, "How many ports to listen on (consecutive from --port)")
      ->check(CLI::Range(1, 5000))
      ->capture_default_str();
  app.add_option("--threads", threads, "Threads serving connections")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--delay-ms", behaviour.delay_ms, "Wait before each answer")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--fail-rate", behaviour.fail_rate, "Fraction of requests answered 500")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--never-answer", never_answer, "A path whose requests are never answered");
  app.add_flag("--record-arrivals", behaviour.record_arrivals,
               "Keep the arrival time of each event id (served on /__arrivals)");
  CLI11_PARSE(app, argc, argv);
  behaviour.never_answer_paths.insert(never_answer.begin(), never_answer.end());

  raise_open_files_limit();
  boost::asio::io_context io(threads);
  bench::ReceiverState state(behaviour);
  const auto address = boost::asio::ip::make_address(host);
  try {
    for (int i = 0; i < ports; ++i) {
      const unsigned short wanted = port == 0 ? 0 : static_cast<unsigned short>(port + i);
      auto listener = std::make_shared<bench::ReceiverListener>(
          io, boost::asio::ip::tcp::endpoint(address, wanted), state);
      listener->start();
      std::printf("bench_receiver listening on http://%s:%u\n", host.c_str(), listener->port());
    }
  } catch (const boost::system::system_error& e) {
    std::fprintf(stderr, "bench_receiver: cannot listen: %s\n", e.what());
    return 1;
  }
  std::printf("bench_receiver ready\n");
  std::fflush(stdout);

  boost::asio::signal_set stop_signals(io, SIGINT, SIGTERM);
  stop_signals.async_wait([&io](boost::system::error_code, int) { io.stop(); });
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
  return 0;
}
