#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/usage_errors.hpp"

int main(int argc, char** argv) {
  CLI::App app{"hookline: Stripe-compatible Connect webhooks, self-hosted", "hookline"};
  app.set_version_flag("--version", std::string("hookline ") + HOOKLINE_VERSION);
  app.require_subcommand(1);
  hookline::cli::add_serve_command(app);
  hookline::cli::add_client_commands(app);
  return hookline::cli::run_command_line(app, std::vector<std::string>(argv + 1, argv + argc));
}
