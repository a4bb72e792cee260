#include "cli/flag_values.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <CLI/CLI.hpp>

namespace hookline::cli {
namespace {

constexpr const char* kEnv = "HOOKLINE_FLAG_VALUES_TEST";

class FlagValuesTest : public ::testing::Test {
 protected:
  void TearDown() override { unsetenv(kEnv); }
};

TEST_F(FlagValuesTest, FlagBeatsEnvironmentBeatsDefault) {
  struct Case {
    std::optional<std::string> flag;
    const char* env;  // nullptr: unset
    std::string expected;
  };
  const Case cases[] = {
      {"flag", "env", "flag"},
      {"flag", nullptr, "flag"},
      {std::nullopt, "env", "env"},
      {std::nullopt, nullptr, "default"},
      {std::nullopt, "", "default"},  // "" counts as unset
      {"", "env", ""},                // an empty flag is still the flag
  };
  for (const Case& c : cases) {
    if (c.env == nullptr) {
      unsetenv(kEnv);
    } else {
      setenv(kEnv, c.env, 1);
    }
    EXPECT_EQ(flag_env_default(c.flag, kEnv, "default"), c.expected)
        << "flag=" << c.flag.value_or("(none)") << " env=" << (c.env ? c.env : "(unset)");
  }
}

// The bug of issue 13: two subcommands sharing one variable, CLI11's envname()
// let the environment overwrite the flag given to the one that ran.
TEST_F(FlagValuesTest, SiblingSubcommandsSharingAVariableKeepTheFlag) {
  setenv(kEnv, "from-env", 1);
  CLI::App app;
  std::string value;
  for (const char* name : {"create", "list", "delete"}) {
    add_env_backed_option(*app.add_subcommand(name), "--value", value, kEnv, "default", "a value");
  }
  app.parse(std::vector<std::string>{"from-flag", "--value", "list"});  // reversed argv
  EXPECT_EQ(value, "from-flag");

  CLI::App other;
  std::string unset_value;
  for (const char* name : {"create", "list"}) {
    add_env_backed_option(*other.add_subcommand(name), "--value", unset_value, kEnv, "default",
                          "a value");
  }
  other.parse(std::vector<std::string>{"list"});
  EXPECT_EQ(unset_value, "from-env");
}

TEST_F(FlagValuesTest, HelpNamesTheVariableAndTheDefault) {
  CLI::App app;
  std::string value;
  add_env_backed_option(app, "--api-base", value, kEnv, "http://127.0.0.1:7420", "Base URL");
  const std::string help = app.help();
  EXPECT_NE(help.find("(default: $HOOKLINE_FLAG_VALUES_TEST, else http://127.0.0.1:7420)"),
            std::string::npos)
      << help;
}

TEST(CommaListTest, SplitsAndTrims) {
  struct Case {
    std::string text;
    std::vector<std::string> expected;
  };
  const Case cases[] = {
      {"payment_intent.succeeded, charge.failed", {"payment_intent.succeeded", "charge.failed"}},
      {" a ,b,\tc ", {"a", "b", "c"}},
      {"a,,b,", {"a", "b"}},
      {"*", {"*"}},
      {"", {}},
      {" , ", {}},
  };
  for (const Case& c : cases) EXPECT_EQ(split_comma_list(c.text), c.expected) << c.text;
  EXPECT_EQ(split_comma_lists({"a, b", " c"}), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(CommaListTest, OptionTrimsEveryValueAndKeepsItsDefaultWhenAbsent) {
  CLI::App app;
  std::vector<std::string> events{"*"};
  add_comma_list_option(app, "--events", events, "event types");
  app.parse(std::vector<std::string>{});
  EXPECT_EQ(events, (std::vector<std::string>{"*"}));
  app.parse(std::vector<std::string>{"customer.created", "--events",
                                     "payment_intent.succeeded, charge.failed", "--events"});
  EXPECT_EQ(events, (std::vector<std::string>{"payment_intent.succeeded", "charge.failed",
                                              "customer.created"}));
}

}  // namespace
}  // namespace hookline::cli
