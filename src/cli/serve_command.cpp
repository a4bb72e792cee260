// `hookline serve`: runs the engine until SIGINT or SIGTERM.
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/flag_values.hpp"
#include "delivery/target_allowlist.hpp"
#include "server/database_wait.hpp"
#include "server/schedule_flag.hpp"
#include "server/server.hpp"
#include "server/startup_banner.hpp"
#include "server/store_location.hpp"

namespace hookline::cli {

namespace {

struct ServeFlags {
  ServerOptions server;
  std::string retry_schedule_live;
  std::string retry_schedule_test;
  double timeout_seconds = 30;
  double disable_after_seconds = 3 * 24 * 3600;
  std::vector<std::string> allowed_targets;
  std::string log_level = "info";
  double database_wait_seconds = 300;
};

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

int64_t seconds_to_ms(double seconds) { return static_cast<int64_t>(std::llround(seconds * 1000)); }

KeySource key_source(bool from_environment, bool generated) {
  if (from_environment) return KeySource::kEnvironment;
  return generated ? KeySource::kGenerated : KeySource::kDataDir;
}

void print_banner(const Server& server, const ServerOptions& options) {
  StartupBanner banner;
  banner.host = options.host;
  banner.port = server.port();
  banner.platform_account_id = server.platform_account_id();
  banner.store = options.database.empty() ? options.data_dir : describe_store(options);
  banner.in_database = !options.database.empty();
  banner.test_secret_key = server.test_secret_key();
  banner.test_key_source =
      key_source(!options.test_secret_key.empty(), server.generated_test_key());
  banner.live_secret_key = server.live_secret_key();
  banner.live_key_source =
      key_source(!options.live_secret_key.empty(), server.generated_live_key());
  fmt::print("{}", render_startup_banner(banner));
  std::fflush(stdout);
}

int run_serve(ServeFlags& flags) {
  // Logs go to stderr; stdout carries only the banner.
  spdlog::set_default_logger(spdlog::stderr_color_mt("hookline"));
  spdlog::set_level(spdlog::level::from_str(flags.log_level));
  ServerOptions& options = flags.server;
  try {
    if (!flags.retry_schedule_live.empty()) {
      options.delivery.live_schedule_ms = parse_schedule_ms(flags.retry_schedule_live);
    }
    if (!flags.retry_schedule_test.empty()) {
      options.delivery.test_schedule_ms = parse_schedule_ms(flags.retry_schedule_test);
    }
    if (!flags.allowed_targets.empty()) {
      auto allowlist = std::make_shared<delivery::TargetAllowlist>();
      for (const std::string& entry : flags.allowed_targets) allowlist->add(entry);
      options.delivery.private_targets.allowlist = std::move(allowlist);
    }
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "hookline serve: {}\n", e.what());
    return 2;
  }
  options.delivery.attempt_timeout_ms = seconds_to_ms(flags.timeout_seconds);
  options.delivery.disable_after_ms = seconds_to_ms(flags.disable_after_seconds);
  options.test_secret_key = env_or_empty("HOOKLINE_SECRET_KEY");
  options.live_secret_key = env_or_empty("HOOKLINE_LIVE_SECRET_KEY");

  // Block the stop signals before any thread starts, so that every thread
  // inherits the mask and only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  Server server(options);
  // While the database cannot be reached, a stop signal ends the wait.
  const auto sleep_unless_stopped = [&stop_signals](int64_t ms) {
    const timespec timeout{static_cast<time_t>(ms / 1000), static_cast<long>(ms % 1000) * 1000000};
    return sigtimedwait(&stop_signals, nullptr, &timeout) < 0;
  };
  const auto steady_now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  try {
    const int64_t wait_ms =
        options.database.empty() ? 0 : seconds_to_ms(flags.database_wait_seconds);
    const WaitOutcome outcome = start_when_database_answers(
        [&server] { server.start(); }, wait_ms,
        options.database.empty() ? std::string() : describe_store(options), sleep_unless_stopped,
        steady_now_ms);
    if (outcome == WaitOutcome::kInterrupted) {
      spdlog::info("stopped while waiting for the database");
      return 0;
    }
  } catch (const StoreUnavailable& e) {
    fmt::print(stderr, "hookline serve: cannot start: the database {} cannot be reached: {}\n",
               describe_store(options), e.what());
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "hookline serve: cannot start: {}\n", e.what());
    return 1;
  }
  print_banner(server, options);

  int received = 0;
  sigwait(&stop_signals, &received);
  spdlog::info("{} received: stopping (attempts in flight finish, nothing pending is lost)",
               received == SIGINT ? "SIGINT" : "SIGTERM");
  server.stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* serve = app.add_subcommand("serve", "Run the hookline server (API, delivery, listen hub)");
  ServerOptions& options = flags->server;
  serve->add_option("--port", options.port, "Port of the API (0: any free port)")
      ->capture_default_str();
  serve->add_option("--host", options.host, "Address to listen on")->capture_default_str();
  serve->add_option("--data-dir", options.data_dir, "Where the SQLite store and keys are kept")
      ->capture_default_str();
  add_env_backed_option(*serve, "--database", options.database, "HOOKLINE_DATABASE_URL", "",
                        "A PostgreSQL connection string or URI (postgres://user@host/db): keep "
                        "everything there instead of --data-dir; several nodes may share it");
  serve->add_option("--database-connections", options.database_connections,
                    "PostgreSQL connections this node opens at most")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  serve
      ->add_option("--database-wait", flags->database_wait_seconds,
                   "Seconds to keep trying a database that cannot be reached at start "
                   "(0: exit at once with status 1)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  serve
      ->add_option("--max-concurrent-attempts", options.delivery.max_in_flight,
                   "Delivery attempts this node runs at once (and deliveries it holds claimed)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  serve
      ->add_option("--max-concurrent-attempts-per-endpoint",
                   options.delivery.max_in_flight_per_endpoint,
                   "Delivery attempts to one endpoint at once, across every node sharing the "
                   "database")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  serve->add_option("--retry-schedule-live", flags->retry_schedule_live,
                    "Seconds between attempts for live endpoints, e.g. 60,300,1800 "
                    "(default: 60,300,1800,7200,18000,36000,36000,43200,43200,43200)");
  serve->add_option("--retry-schedule-test", flags->retry_schedule_test,
                    "Seconds between attempts for test endpoints (default: 1800,3600,7200)");
  serve->add_option("--timeout", flags->timeout_seconds, "Seconds an attempt may take")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve->add_option("--disable-after", flags->disable_after_seconds,
                    "Disable an endpoint after this many seconds of nothing but failures")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve->add_flag("--allow-private-targets", options.delivery.private_targets.allow_all,
                  "Let every endpoint target loopback, private and link-local addresses "
                  "(without it, only test endpoints may, and only while --host is loopback)");
  add_comma_list_option(*serve, "--allow-target", flags->allowed_targets,
                        "A private address block (10.1.0.0/16, fd00::/8), address or host name "
                        "that endpoints may target anyway; repeat it or separate by commas");
  serve->add_option("--user-agent", options.delivery.user_agent,
                    "The User-Agent header of deliveries (e.g. Stripe's, for receivers that "
                    "match it)")
      ->check(CLI::Validator(
          [](const std::string& value) -> std::string {
            const bool printable = std::all_of(value.begin(), value.end(), [](char c) {
              return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
            });
            return !value.empty() && printable ? "" : "must be non-empty printable text";
          },
          "TEXT"))
      ->capture_default_str();
  serve->add_option("--max-connections-per-client", options.max_connections_per_client,
                    "Open connections one client address may hold")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve->add_option("--retention-days", options.retention_days, "Days events are kept")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve->add_option("--rate-limit", options.rate_limit_per_second,
                    "Requests a second per API key before 429 rate_limit (0: no limit)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  serve->add_option("--api-threads", options.api_threads, "Threads serving the API")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  serve->add_option("--log-level", flags->log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  serve->callback([flags] {
    const int code = run_serve(*flags);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace hookline::cli
