// `hookline events list|retrieve|resend|attempts`.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>

#include "cli/api_client.hpp"
#include "cli/attempt_table.hpp"
#include "cli/client_commands.hpp"
#include "cli/client_options.hpp"
#include "cli/output.hpp"

namespace hookline::cli {

namespace json = boost::json;

namespace {

struct EventsOptions {
  std::shared_ptr<ApiConfig> api = std::make_shared<ApiConfig>();
  std::shared_ptr<std::string> format = std::make_shared<std::string>();
  std::string stripe_account;
  std::string event_id;
  std::string type;
  std::string webhook_endpoint;
  int limit = 10;
  bool no_wait = false;
  double wait_seconds = 60;
};

// The connected account (of the first 100) whose event `event_id` is, or "".
std::string account_of_event(const ApiClient& api, const std::string& event_id) {
  const json::value accounts = api.get("/v1/accounts", {{"limit", "100"}});
  for (const json::value& account : accounts.at("data").as_array()) {
    const std::string id = text_field(account, "id");
    try {
      api.get("/v1/events/" + event_id, {}, id);
      return id;
    } catch (const ApiError&) {
    }
  }
  return {};
}

// Runs `action`, turning API errors into a clean failure. An event not found
// without --stripe-account may be a connected account's: the failure says
// which flag is missing.
template <typename Action>
void with_api(const EventsOptions& options, Action action) {
  const ApiClient api(*options.api);
  try {
    action(api);
  } catch (const ApiError& e) {
    if (e.status() != 404 || !options.stripe_account.empty() || options.event_id.empty()) {
      fail(e.what());
    }
    std::string account;
    try {
      account = account_of_event(api, options.event_id);
    } catch (const ApiError&) {
    }
    if (account.empty()) fail(e.what());
    fail(options.event_id + " is an event of the connected account " + account +
         ": add --stripe-account " + account + ".");
  }
}

void list_events(const EventsOptions& options) {
  with_api(options, [&](const ApiClient& api) {
    FormParams query{{"limit", std::to_string(options.limit)}};
    if (!options.type.empty()) query.emplace_back("type", options.type);
    const json::value list = api.get("/v1/events", query, options.stripe_account);
    if (wants_json(*options.format)) return print_json(std::cout, list);
    std::vector<std::vector<std::string>> rows;
    for (const json::value& event : list.at("data").as_array()) {
      rows.push_back({text_field(event, "id"), text_field(event, "type"),
                      text_field(event, "account"),
                      format_time(event.at("created").to_number<int64_t>()),
                      text_field(event, "livemode") == "true" ? "live" : "test",
                      text_field(event, "pending_webhooks")});
    }
    print_table(std::cout, {"ID", "TYPE", "ACCOUNT", "CREATED (UTC)", "MODE", "PENDING"}, rows);
  });
}

void retrieve_event(const EventsOptions& options) {
  with_api(options, [&](const ApiClient& api) {
    print_json(std::cout, api.get("/v1/events/" + options.event_id, {}, options.stripe_account));
  });
}

void list_attempts(const EventsOptions& options) {
  with_api(options, [&](const ApiClient& api) {
    const json::value list = api.get("/v1/events/" + options.event_id + "/attempts",
                                     {{"limit", std::to_string(options.limit)}},
                                     options.stripe_account);
    if (wants_json(*options.format)) return print_json(std::cout, list);
    print_attempts(std::cout, list, AttemptsOf::kEvent);
  });
}

void resend_event(const EventsOptions& options) {
  with_api(options, [&](const ApiClient& api) {
    std::string previous;
    if (!options.no_wait) {
      if (auto newest = newest_attempt(api, options.event_id, options.webhook_endpoint,
                                       options.stripe_account)) {
        previous = text_field(*newest, "id");
      }
    }
    const json::value result =
        api.post_form("/v1/events/" + options.event_id + "/retry",
                      {{"webhook_endpoint", options.webhook_endpoint}}, options.stripe_account);
    if (options.no_wait) {
      if (wants_json(*options.format)) return print_json(std::cout, result);
      std::cout << "Resending " << options.event_id << " to " << options.webhook_endpoint
                << " (follow it with `hookline events attempts " << options.event_id << "`)\n";
      return;
    }
    const auto attempt = wait_for_attempt(
        api, options.event_id, options.webhook_endpoint, options.stripe_account, previous,
        std::chrono::milliseconds(static_cast<int64_t>(options.wait_seconds * 1000)));
    if (!attempt) {
      fail("The resend of " + options.event_id + " to " + options.webhook_endpoint +
           " was not attempted within " + std::to_string(static_cast<int>(options.wait_seconds)) +
           " s; follow it with `hookline events attempts " + options.event_id + "`.");
    }
    if (wants_json(*options.format)) {
      print_json(std::cout, *attempt);
    } else {
      json::object list;
      list["data"] = json::array{*attempt};
      print_attempts(std::cout, list, AttemptsOf::kEvent);
    }
    if (text_field(*attempt, "success") != "true") throw CLI::RuntimeError(1);
  });
}

}  // namespace

void add_events_command(CLI::App& app) {
  auto options = std::make_shared<EventsOptions>();
  CLI::App* events = app.add_subcommand("events", "List, inspect and resend events");
  events->require_subcommand(1);
  auto common = [&](CLI::App* command) {
    add_api_options(*command, options->api);
    add_format_option(*command, options->format);
    // --account is the Stripe CLI's spelling (`stripe events resend --account`).
    command->add_option("--stripe-account,--account", options->stripe_account,
                        "Act as this connected account (acct_…)");
  };

  CLI::App* list = events->add_subcommand("list", "List recent events, newest first");
  list->add_option("--limit", options->limit, "How many (1-100)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  list->add_option("--type", options->type, "Only this type (or a prefix like payment_intent.*)");
  common(list);
  list->callback([options] { list_events(*options); });

  CLI::App* retrieve = events->add_subcommand("retrieve", "Show one event as JSON");
  retrieve->add_option("id", options->event_id, "The event (evt_…)")->required();
  add_api_options(*retrieve, options->api);
  retrieve->add_option("--format", *options->format, "Output format (default: JSON, the only one)")
      ->check(CLI::IsMember({"JSON", "json"}));
  retrieve->add_option("--stripe-account,--account", options->stripe_account,
                       "The connected account (acct_…) the event is on");
  retrieve->callback([options] { retrieve_event(*options); });

  CLI::App* resend = events->add_subcommand("resend", "Deliver an event to an endpoint again");
  resend->add_option("id", options->event_id, "The event (evt_…)")->required();
  resend->add_option("--webhook-endpoint", options->webhook_endpoint, "The endpoint (we_…)")
      ->required();
  resend->add_flag("--no-wait", options->no_wait,
                   "Return once the resend is queued, without waiting for its attempt");
  resend->add_option("--wait", options->wait_seconds,
                     "Seconds to wait for the attempt and print its result")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  common(resend);
  resend->callback([options] { resend_event(*options); });

  CLI::App* attempts = events->add_subcommand(
      "attempts", "Show the delivery attempts of an event, newest first");
  attempts->add_option("id", options->event_id, "The event (evt_…)")->required();
  attempts->add_option("--limit", options->limit, "How many (1-100)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  common(attempts);
  attempts->callback([options] { list_attempts(*options); });
}

}  // namespace hookline::cli
