// `hookline fixtures FILE.json`: runs a fixture file of the Stripe CLI's
// format (`stripe fixtures`), e.g. a team's own, against the server.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "cli/client_commands.hpp"
#include "cli/client_options.hpp"
#include "cli/fixture_command.hpp"

namespace hookline::cli {

namespace {

struct FixturesOptions {
  std::string file;
  std::shared_ptr<FixtureFlags> flags = std::make_shared<FixtureFlags>();
};

void run_fixtures(const FixturesOptions& options) {
  std::string text;
  try {
    text = read_text_file(options.file);
  } catch (const std::runtime_error& e) {
    fail(e.what());
  }
  const FixtureRunResult result = run_fixture_command(
      std::move(text), options.file, std::filesystem::path(options.file).stem().string(),
      *options.flags, "Fixture failed");
  std::cout << "Fixture succeeded! " << result.events.size()
            << (result.events.size() == 1 ? " event" : " events") << " published." << std::endl;
}

}  // namespace

void add_fixtures_command(CLI::App& app) {
  auto options = std::make_shared<FixturesOptions>();
  CLI::App* fixtures = app.add_subcommand(
      "fixtures", "Run a fixture file of the Stripe CLI's format (steps of API calls)");
  fixtures->add_option("file", options->file, "The fixture file (JSON)")->required();
  add_fixture_flags(*fixtures, options->flags);
  fixtures->callback([options] { run_fixtures(*options); });
}

}  // namespace hookline::cli
