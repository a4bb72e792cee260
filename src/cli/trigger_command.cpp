// `hookline trigger EVENT`: runs the built-in fixture of EVENT (the Stripe
// CLI's, fixtures/triggers/EVENT.json, compiled in), so that the endpoint
// receives the whole sequence of events Stripe would send, with objects that
// refer to each other. EVENT may also be the path of a fixture file, and
// --raw gives the fixture as a string, as with the Stripe CLI.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "catalog/event_types.hpp"
#include "cli/client_commands.hpp"
#include "cli/client_options.hpp"
#include "cli/fixture.hpp"
#include "cli/fixture_command.hpp"
#include "cli/fixture_file.hpp"

namespace hookline::cli {

namespace {

struct TriggerOptions {
  std::string event;
  std::string raw;
  bool list = false;
  std::shared_ptr<FixtureFlags> flags = std::make_shared<FixtureFlags>();
};

void print_list() {
  std::cout << "Supported events (hookline trigger EVENT):\n";
  for (const std::string& name : trigger_names()) {
    const Fixture* described = find_fixture(name);
    std::cout << "  " << std::left << std::setw(52) << name
              << (described != nullptr ? described->description : std::string()) << '\n';
  }
  std::cout << "Each runs the fixture of the Stripe CLI of that name (or hookline's own); see the "
               "README, Fixture files.\n";
}

// Unknown or unsupported type: a message with the nearest names.
[[noreturn]] void fail_unsupported(const std::string& type) {
  if (!catalog::is_known_event_type(type)) {
    std::string message = "Unknown event type: " + type + ".";
    const auto nearest = catalog::nearest_event_types(type, 3);
    if (!nearest.empty()) {
      message += " Did you mean ";
      for (std::size_t i = 0; i < nearest.size(); ++i) {
        message += (i ? (i + 1 == nearest.size() ? " or " : ", ") : "") + nearest[i];
      }
      message += "?";
    }
    fail(message + " `hookline trigger --list` lists the supported events.");
  }
  fail("hookline trigger has no fixture for " + type +
       " (nor has the Stripe CLI). `hookline trigger --list` lists the supported events; write a "
       "fixture file for `hookline fixtures`, or publish any event type with POST /v1/events.");
}

void run_trigger(const TriggerOptions& options) {
  if (options.list) return print_list();
  std::string text, source, stem = options.event;
  if (!options.raw.empty()) {
    text = options.raw;
    source = "--raw";
    if (stem.empty()) stem = "raw";
  } else if (options.event.empty()) {
    fail("Name an event type: hookline trigger EVENT (see --list).");
  } else if (const std::string_view* built_in = find_trigger_fixture(options.event)) {
    text = std::string(*built_in);
    source = "fixtures/triggers/" + options.event + ".json";
  } else if (std::filesystem::is_regular_file(options.event)) {
    try {
      text = read_text_file(options.event);
    } catch (const std::runtime_error& e) {
      fail(e.what());
    }
    source = options.event;
    stem = std::filesystem::path(options.event).stem().string();
  } else {
    fail_unsupported(options.event);
  }

  const FixtureRunResult result =
      run_fixture_command(std::move(text), source, stem, *options.flags, "Trigger failed");
  // The event asked for, else (a file, --raw, subscription.payment_succeeded)
  // the last one the fixture caused.
  const PublishedEvent* shown = nullptr;
  for (const PublishedEvent& event : result.events) {
    if (event.type == options.event || !catalog::is_known_event_type(options.event)) shown = &event;
  }
  // Skipped steps may well be the ones that make it (charge.refunded --skip refund).
  const bool skipped = !options.flags->skip.empty() && !options.flags->edit;
  if (shown == nullptr && options.raw.empty() && !skipped &&
      catalog::is_known_event_type(options.event)) {
    std::string made;
    for (const PublishedEvent& event : result.events)
      made += (made.empty() ? "" : ", ") + event.type;
    fail("Trigger failed: the fixture ran, but hookline's model of its API calls made no " +
         options.event + " event (it made: " + (made.empty() ? "none" : made) + ").");
  }
  if (shown == nullptr && !result.events.empty()) shown = &result.events.back();
  if (shown == nullptr) fail("Trigger failed: the fixture made no event.");
  std::cout << "Trigger succeeded! " << shown->type << " " << shown->id
            << (shown->account.empty() ? "" : " on " + shown->account) << std::endl;
}

}  // namespace

void add_trigger_command(CLI::App& app) {
  auto options = std::make_shared<TriggerOptions>();
  CLI::App* trigger = app.add_subcommand(
      "trigger",
      "Make an event happen (payment_intent.succeeded, …), with the whole sequence of events "
      "Stripe sends for it");
  trigger->add_option("event", options->event,
                      "The event type, e.g. payment_intent.succeeded (or a fixture file's path)");
  trigger->add_option("--raw", options->raw,
                      "A fixture as a JSON string, run instead of the event's fixture");
  trigger->add_flag("--list", options->list, "List the supported events");
  add_fixture_flags(*trigger, options->flags);
  trigger->callback([options] { run_trigger(*options); });
}

}  // namespace hookline::cli
