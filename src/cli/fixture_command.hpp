#pragma once
// What `hookline trigger` and `hookline fixtures` share: their flags (as the
// Stripe CLI's) and running a fixture text with them against the server.
#include <memory>
#include <string>
#include <vector>

#include "cli/api_client.hpp"
#include "cli/fixture_runner.hpp"

namespace CLI {
class App;
}

namespace hookline::cli {

struct FixtureFlags {
  std::vector<std::string> skip, overrides, adds, removes;
  std::string stripe_account;
  std::string api_version;  // the events' api_version (Stripe-Version)
  bool edit = false;        // open $EDITOR on the fixture first
  std::shared_ptr<ApiConfig> api = std::make_shared<ApiConfig>();
};

// Adds --skip, --override, --add, --remove, --stripe-account, --api-version,
// --edit and the API flags to `command`.
void add_fixture_flags(CLI::App& command, const std::shared_ptr<FixtureFlags>& flags);

// Edits (with --edit), validates every flag and the whole fixture before any
// call, then runs it. `source` names the fixture in messages; `edit_name` is
// the temporary file's name stem ("payment_intent.succeeded"). Fails (fail())
// with a sentence for the user on any error; one raised while running starts
// with `failure` ("Trigger failed").
FixtureRunResult run_fixture_command(std::string text, const std::string& source,
                                     const std::string& edit_name, const FixtureFlags& flags,
                                     const std::string& failure);

// The text of `$EDITOR` (else $VISUAL, else vi) run on a temporary copy of
// `text` named <stem>.XXXXXX.json. Throws std::runtime_error if the editor fails.
std::string edit_in_editor(const std::string& text, const std::string& stem);

// The contents of the file at `path`; throws std::runtime_error naming it.
std::string read_text_file(const std::string& path);

}  // namespace hookline::cli
