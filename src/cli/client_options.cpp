#include "cli/client_options.hpp"

#include "cli/flag_values.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

namespace hookline::cli {

void add_api_options(CLI::App& command, const std::shared_ptr<ApiConfig>& config) {
  add_env_backed_option(command, "--api-base", config->api_base, "HOOKLINE_API_BASE",
                        kDefaultApiBase, "Base URL of the hookline server");
  add_env_backed_option(command, "--api-key", config->api_key, "HOOKLINE_API_KEY", "",
                        "Secret key (sk_test_… or sk_live_…)");
}

void add_format_option(CLI::App& command, const std::shared_ptr<std::string>& format) {
  command.add_option("--format", *format, "Output format: JSON for scripts (default: a table)")
      ->check(CLI::IsMember({"JSON", "json", "table"}));
}

bool wants_json(const std::string& format) { return format == "JSON" || format == "json"; }

void require_api_key(const ApiConfig& config) {
  if (config.api_key.empty()) fail(kNoApiKeyMessage);
}

void fail(const std::string& message, int exit_code) {
  std::cerr << "Error: " << message << std::endl;
  throw CLI::RuntimeError(exit_code);
}

}  // namespace hookline::cli
