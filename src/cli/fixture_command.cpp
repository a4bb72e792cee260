#include "cli/fixture_command.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "catalog/api_versions.hpp"
#include "cli/client_options.hpp"
#include "cli/payload_edit.hpp"

namespace hookline::cli {

void add_fixture_flags(CLI::App& command, const std::shared_ptr<FixtureFlags>& flags) {
  command.add_option("--stripe-account", flags->stripe_account,
                     "Make it happen on this connected account (acct_…)");
  command.add_option("--skip", flags->skip, "Skip a step of the fixture, by name (repeatable)");
  command.add_option("--override", flags->overrides,
                     "Change a parameter of a step: <step>:<path>=<value>, e.g. "
                     "payment_intent:amount=3000 (repeatable)");
  command.add_option("--add", flags->adds,
                     "Add a parameter to a step: <step>:<path>=<value>, e.g. "
                     "payment_intent:metadata.order=6735 (repeatable)");
  command.add_option("--remove", flags->removes,
                     "Remove a parameter of a step: <step>:<path>, e.g. payment_intent:description "
                     "(repeatable)");
  command.add_option("--api-version", flags->api_version,
                     "The events' api_version (a published Stripe API version, e.g. 2024-06-20)");
  command.add_flag("--edit", flags->edit, "Edit the fixture in $EDITOR before running it");
  add_api_options(command, flags->api);
}

std::string read_text_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("Cannot read " + path + ".");
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string edit_in_editor(const std::string& text, const std::string& stem) {
  const char* tmp = std::getenv("TMPDIR");
  std::string path =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/" + stem + ".XXXXXX.json";
  const int fd = mkstemps(path.data(), 5);
  if (fd < 0) throw std::runtime_error("Cannot create a temporary file for --edit.");
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  struct Remove {
    std::string path;
    ~Remove() { std::remove(path.c_str()); }
  } remove{path};
  if (!written) throw std::runtime_error("Cannot write " + path + ".");
  std::string editor = "vi";
  for (const char* name : {"EDITOR", "VISUAL"}) {
    if (const char* value = std::getenv(name); value != nullptr && *value != '\0') {
      editor = value;
      break;
    }
  }
  // Through the shell, as git runs it: $EDITOR may hold arguments ("code --wait").
  const int status = std::system((editor + " '" + path + "'").c_str());
  if (status != 0) {
    throw std::runtime_error("The editor (" + editor + ") failed (status " +
                             std::to_string(status) + "); nothing was run.");
  }
  return read_text_file(path);
}

FixtureRunResult run_fixture_command(std::string text, const std::string& source,
                                     const std::string& edit_name, const FixtureFlags& flags,
                                     const std::string& failure) {
  if (!flags.api_version.empty() && !catalog::is_published_api_version(flags.api_version)) {
    fail("--api-version " + flags.api_version +
         " is not a published Stripe API version (e.g. 2024-06-20 or 2026-10-28.endive).");
  }
  const bool editing_flags = !flags.skip.empty() || !flags.overrides.empty() ||
                             !flags.adds.empty() || !flags.removes.empty();
  FixtureFile file;
  std::vector<std::string> skip = flags.skip;
  try {
    if (flags.edit) {
      text = edit_in_editor(text, edit_name);
      if (editing_flags) {
        std::cout << "Warning: --edit cannot be used with --add, --remove, --override, or --skip. "
                     "Skipping those flags..."
                  << std::endl;
        skip.clear();
      }
    }
    file = parse_fixture_file(text, source);
    if (!flags.edit) {
      std::vector<PayloadEdit> edits;
      for (const std::string& t : flags.overrides)
        edits.push_back(parse_payload_edit(PayloadEdit::Kind::kOverride, t));
      for (const std::string& t : flags.adds)
        edits.push_back(parse_payload_edit(PayloadEdit::Kind::kAdd, t));
      for (const std::string& t : flags.removes)
        edits.push_back(parse_payload_edit(PayloadEdit::Kind::kRemove, t));
      apply_fixture_edits(file, edits);
    }
    check_fixture_runnable(file, skip);
  } catch (const PayloadEditError& e) {
    fail(e.what());
  } catch (const FixtureFileError& e) {
    fail(e.what());
  } catch (const std::runtime_error& e) {
    fail(e.what());
  }

  require_api_key(*flags.api);
  ApiConfig config = *flags.api;
  config.stripe_version = flags.api_version;
  const ApiClient api(config);
  ServerFixtureBackend backend(api);
  FixtureRunOptions options;
  options.skip = skip;
  options.stripe_account = flags.stripe_account;
  options.now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  try {
    return run_fixture(file, options, backend, std::cout);
  } catch (const ApiError& e) {
    fail(failure + ": " + e.what());
  } catch (const FixtureFileError& e) {
    fail(failure + ": " + e.what());
  } catch (const std::runtime_error& e) {
    fail(failure + ": " + e.what());
  }
}

}  // namespace hookline::cli
