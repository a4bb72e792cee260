#include "cli/client_commands.hpp"

#include "cli/commands.hpp"

namespace hookline::cli {

void add_client_commands(CLI::App& app) {
  add_listen_command(app);
  add_trigger_command(app);
  add_fixtures_command(app);
  add_events_command(app);
  add_endpoints_command(app);
  add_accounts_command(app);
  add_send_command(app);
  add_completion_command(app);
}

}  // namespace hookline::cli
