#pragma once
// Each `hookline` subcommand registers itself on the CLI11 app. A command's
// callback throws CLI::RuntimeError(exit_code) to fail.
namespace CLI {
class App;
}

namespace hookline::cli {

// `hookline serve …` (src/cli/serve_command.cpp).
void add_serve_command(CLI::App& app);

// `hookline listen|trigger|events|endpoints|accounts|send …`: the developer
// commands, clients of a running server's API (except `send`).
void add_client_commands(CLI::App& app);

}  // namespace hookline::cli
