#include "cli/flag_values.hpp"

#include <CLI/CLI.hpp>
#include <cstdlib>

namespace hookline::cli {

std::string flag_env_default(const std::optional<std::string>& flag, const char* env_name,
                             std::string_view fallback) {
  if (flag) return *flag;
  const char* env = std::getenv(env_name);
  if (env != nullptr && *env != '\0') return env;
  return std::string(fallback);
}

void add_env_backed_option(CLI::App& command, const std::string& names, std::string& target,
                           const char* env_name, std::string_view fallback,
                           const std::string& description) {
  target = flag_env_default(std::nullopt, env_name, fallback);
  std::string help = description + " (default: $" + env_name;
  if (!fallback.empty()) help += ", else " + std::string(fallback);
  help += ")";
  command.add_option(names, target, help);
}

CLI::Option* add_comma_list_option(CLI::App& command, const std::string& names,
                                   std::vector<std::string>& target,
                                   const std::string& description) {
  return command.add_option_function<std::vector<std::string>>(
      names,
      [&target](const std::vector<std::string>& values) { target = split_comma_lists(values); },
      description);
}

std::vector<std::string> split_comma_list(std::string_view text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(start, end - start);
    const auto first = item.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos) {
      const auto last = item.find_last_not_of(" \t\r\n");
      items.emplace_back(item.substr(first, last - first + 1));
    }
    start = end + 1;
  }
  return items;
}

std::vector<std::string> split_comma_lists(const std::vector<std::string>& values) {
  std::vector<std::string> items;
  for (const std::string& value : values) {
    for (std::string& item : split_comma_list(value)) items.push_back(std::move(item));
  }
  return items;
}

}  // namespace hookline::cli
