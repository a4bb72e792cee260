#pragma once
// How every `hookline` flag gets its value: a flag given on the command line
// wins over its environment variable, which wins over the default; and comma
// lists ("a, b,c") are split and trimmed the same way everywhere.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace hookline::cli {

// flag > environment > default. `flag` is the command line's value when the
// flag was given; an environment variable set to "" counts as unset.
std::string flag_env_default(const std::optional<std::string>& flag, const char* env_name,
                             std::string_view fallback);

// Adds the option `names` ("--api-key", "-s,--secret") to `command`: `target`
// starts as flag_env_default(nullopt, env_name, fallback) and the flag, when
// given, replaces it. CLI11's own envname() is not used: it also fills the
// variables of sibling subcommands that were not run, so with a variable shared
// by `endpoints create` and `endpoints list` the environment beat the flag.
// The help names the variable and the default.
void add_env_backed_option(CLI::App& command, const std::string& names, std::string& target,
                           const char* env_name, std::string_view fallback,
                           const std::string& description);

// Adds a repeatable comma-list option: `target` becomes split_comma_lists of
// the values given (and keeps its initial value when the flag is not given).
CLI::Option* add_comma_list_option(CLI::App& command, const std::string& names,
                                   std::vector<std::string>& target,
                                   const std::string& description);

// Splits "a, b,,c " at commas and trims each item; empty items are dropped.
std::vector<std::string> split_comma_list(std::string_view text);

// The items of a repeatable comma-list flag: each value split as above.
std::vector<std::string> split_comma_lists(const std::vector<std::string>& values);

}  // namespace hookline::cli
