// `hookline fixtures FILE.json`: runs a fixture file of the Stripe CLI's
// format (`stripe fixtures`), e.g. a team's own, against the server, then
// writes the file's "env" values into ./.env when there is one.
#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "cli/client_commands.hpp"
#include "cli/client_options.hpp"
#include "cli/fixture_command.hpp"

namespace hookline::cli {

namespace {

struct FixturesOptions {
  std::string file;
  std::shared_ptr<FixtureFlags> flags = std::make_shared<FixtureFlags>();
};

// As the Stripe CLI: the file's "env" values go into ./.env, only if there is one.
void update_dot_env(const boost::json::object& env) {
  if (!std::filesystem::is_regular_file(".env")) return;
  std::vector<std::string> lines;
  std::set<std::string> written;
  {
    std::ifstream file(".env");
    for (std::string line; std::getline(file, line);) lines.push_back(line);
  }
  auto text = [](const boost::json::value& v) {
    return v.is_string() ? std::string(v.as_string()) : boost::json::serialize(v);
  };
  for (std::string& line : lines) {
    const auto equals = line.find('=');
    if (equals == std::string::npos) continue;
    std::string key = line.substr(0, equals);
    if (key.starts_with("export ")) key.erase(0, 7);
    if (const boost::json::value* value = env.if_contains(key)) {
      line = key + "=\"" + text(*value) + "\"";
      written.insert(key);
    }
  }
  for (const auto& field : env) {
    if (!written.contains(field.key())) {
      lines.push_back(std::string(field.key()) + "=\"" + text(field.value()) + "\"");
    }
  }
  std::ofstream out(".env", std::ios::trunc);
  for (const std::string& line : lines) out << line << '\n';
  if (!out) fail("Cannot write ./.env.");
  std::cout << "Wrote " << env.size() << " value(s) of \"env\" to ./.env." << std::endl;
}

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
  if (!result.env.empty()) update_dot_env(result.env);
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
