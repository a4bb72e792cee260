// bench_sink: the second reference of hookline's benchmarks (epoll_sink.hpp).
// Prints "bench_sink listening on http://HOST:PORT", then "bench_sink ready";
// serves until SIGTERM or SIGINT ends the process.
//
//   bench_sink [--host 127.0.0.1] [--port 0]
#include <CLI/CLI.hpp>
#include <cstdio>
#include <system_error>

#include "epoll_sink.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Minimal epoll HTTP sink: answers 200 with an empty body, counts requests"};
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  app.add_option("--host", host, "IPv4 address to listen on")->capture_default_str();
  app.add_option("--port", port, "Port (0: a free port picked by the system)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  try {
    bench::EpollSink sink(host, port);
    std::printf("bench_sink listening on http://%s:%u\nbench_sink ready\n", host.c_str(),
                sink.port());
    std::fflush(stdout);
    sink.run();
  } catch (const std::system_error& e) {
    std::fprintf(stderr, "bench_sink: %s\n", e.what());
    return 1;
  }
  return 0;
}
