#include "cli/usage_errors.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>

#include "core/edit_distance.hpp"

namespace hookline::cli {

namespace {

CLI::App* find_subcommand(CLI::App& app, const std::string& name) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->check_name(name)) return sub;
  }
  return nullptr;
}

std::vector<std::string> subcommand_names(CLI::App& app) {
  std::vector<std::string> names;
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (!sub->get_name().empty()) names.push_back(sub->get_name());
  }
  return names;
}

// The deepest command named by the leading words of `args` ("events list");
// `words` is how many words name it.
CLI::App& named_command(CLI::App& app, const std::vector<std::string>& args, size_t& words) {
  CLI::App* command = &app;
  words = 0;
  for (const std::string& arg : args) {
    if (arg.starts_with("-")) break;
    CLI::App* sub = find_subcommand(*command, arg);
    if (sub == nullptr) break;
    command = sub;
    ++words;
  }
  return *command;
}

std::string command_path(const CLI::App& command) {
  std::string path = command.get_name();
  for (const CLI::App* parent = command.get_parent(); parent != nullptr;
       parent = parent->get_parent()) {
    path = parent->get_name() + " " + path;
  }
  return path;
}

// Where `args` has a word that is none of the subcommands expected there:
// that word and the command it was given to.
struct UnknownSubcommand {
  std::string word;
  CLI::App* command = nullptr;
};

std::optional<UnknownSubcommand> unknown_subcommand(CLI::App& app,
                                                    const std::vector<std::string>& args) {
  CLI::App* command = &app;
  for (const std::string& arg : args) {
    if (arg.starts_with("-")) return std::nullopt;
    if (CLI::App* sub = find_subcommand(*command, arg)) {
      command = sub;
      continue;
    }
    // Without subcommands, the word is a positional argument.
    if (subcommand_names(*command).empty()) return std::nullopt;
    return UnknownSubcommand{arg, command};
  }
  return std::nullopt;
}

}  // namespace

std::string subcommand_suggestion(CLI::App& app, const std::vector<std::string>& args) {
  const auto unknown = unknown_subcommand(app, args);
  if (!unknown) return "";
  const std::vector<std::string> names = subcommand_names(*unknown->command);
  for (const std::string& name : names) {
    if (name.starts_with(unknown->word)) return "Did you mean " + name + "?";
  }
  const auto nearest = nearest_words(unknown->word, names, 1);
  if (nearest.empty() || edit_distance(unknown->word, nearest.front()) > 2) return "";
  return "Did you mean " + nearest.front() + "?";
}

int run_command_line(CLI::App& app, std::vector<std::string> args) {
  size_t words = 0;
  CLI::App& named = named_command(app, args, words);
  if (words == args.size() && !subcommand_names(named).empty()) {
    std::cout << named.help();
    return 0;
  }
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    if (const auto unknown = unknown_subcommand(app, args)) {
      std::cerr << "Error: unknown command \"" << unknown->word << "\" for \""
                << command_path(*unknown->command) << "\"\n";
    } else {
      std::cerr << "Error: " << e.what() << '\n';
    }
    const std::string suggestion = subcommand_suggestion(app, args);
    if (!suggestion.empty()) std::cerr << suggestion << '\n';
    std::cerr << "Run '" << command_path(named) << " --help' for usage." << std::endl;
    return 1;
  }
  return 0;
}

}  // namespace hookline::cli
