#pragma once
// How `hookline` answers its command line, as the Stripe CLI does: bare
// `hookline` (or a command group such as `hookline events`) prints the help;
// a usage error prints the message, a "Did you mean …?" for a mistyped
// subcommand and exits 1 (CLI11 alone exits 105, 106, 109, …).
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace hookline::cli {

// Parses and runs `args` (without the program name) on `app`; returns the
// process's exit code: 0, a command's own code (CLI::RuntimeError), or 1 for a
// usage error.
int run_command_line(CLI::App& app, std::vector<std::string> args);

// "Did you mean events?" when `args` has, where a subcommand of `app` is
// expected, a word that is none of them and is close to one (edit distance at
// most 2, or a prefix); "" otherwise.
std::string subcommand_suggestion(CLI::App& app, const std::vector<std::string>& args);

}  // namespace hookline::cli
