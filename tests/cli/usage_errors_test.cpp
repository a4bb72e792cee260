#include "cli/usage_errors.hpp"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

namespace hookline::cli {
namespace {

// A small app shaped like hookline's: groups with their own subcommands.
struct Fixture {
  CLI::App app{"test", "hookline"};
  bool ran = false;
  Fixture() {
    app.require_subcommand(1);
    CLI::App* events = app.add_subcommand("events", "events");
    events->require_subcommand(1);
    for (const char* name : {"list", "retrieve", "resend", "attempts"}) {
      events->add_subcommand(name, name)->callback([this] { ran = true; });
    }
    app.add_subcommand("endpoints", "endpoints")->add_subcommand("list", "list");
    app.add_subcommand("listen", "listen")->add_option("--limit", limit)->check(CLI::Range(1, 9));
    app.add_subcommand("trigger", "trigger")->add_option("event", event);
  }
  int limit = 1;
  std::string event;
};

TEST(SubcommandSuggestionTest, NamesTheNearestSubcommandAtTheRightLevel) {
  Fixture f;
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  };
  const Case cases[] = {
      {{"evnts"}, "Did you mean events?"},
      {{"ev"}, "Did you mean events?"},  // a prefix
      {{"lisen", "--limit", "2"}, "Did you mean listen?"},
      {{"events", "retreive", "evt_1"}, "Did you mean retrieve?"},
      {{"events", "attempt"}, "Did you mean attempts?"},
      {{"zzzzzzzz"}, ""},                    // nothing close
      {{"trigger", "custmer.created"}, ""},  // a positional argument, not a subcommand
      {{"events", "list"}, ""},
      {{"--verbose"}, ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(subcommand_suggestion(f.app, c.args), c.expected) << c.args.front();
  }
}

TEST(RunCommandLineTest, UsageErrorsExitOneAndHelpExitsZero) {
  struct Case {
    std::vector<std::string> args;
    int expected;
  };
  const Case cases[] = {
      {{}, 0},                  // bare: the help
      {{"events"}, 0},          // a group alone: its help
      {{"events", "list"}, 0},  // runs
      {{"--help"}, 0},
      {{"evnts"}, 1},                      // CLI11 alone: 109
      {{"events", "list", "--bogus"}, 1},  // 109
      {{"listen", "--limit", "0"}, 1},     // 105
      {{"listen", "--limit"}, 1},          // 106 / 107
  };
  for (const Case& c : cases) {
    Fixture f;
    EXPECT_EQ(run_command_line(f.app, c.args), c.expected)
        << (c.args.empty() ? "(bare)" : c.args.front() + " …" + c.args.back());
  }
}

TEST(RunCommandLineTest, ACommandsOwnExitCodeIsKept) {
  Fixture f;
  f.app.add_subcommand("fail", "fail")->callback([] { throw CLI::RuntimeError(3); });
  EXPECT_EQ(run_command_line(f.app, {"fail"}), 3);
}

}  // namespace
}  // namespace hookline::cli
