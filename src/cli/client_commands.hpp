#pragma once
// The developer commands, one registration function per command (each in its
// own <name>_command.cpp); add_client_commands (commands.hpp) calls them all.
namespace CLI {
class App;
}

namespace hookline::cli {

void add_listen_command(CLI::App& app);
void add_trigger_command(CLI::App& app);
void add_fixtures_command(CLI::App& app);
void add_events_command(CLI::App& app);
void add_endpoints_command(CLI::App& app);
void add_accounts_command(CLI::App& app);
void add_send_command(CLI::App& app);
// `hookline completion bash|zsh`: completion of every command of `app`.
void add_completion_command(CLI::App& app);

}  // namespace hookline::cli
