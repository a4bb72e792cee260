// `hookline events list|retrieve|resend`.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>

#include "cli/api_client.hpp"
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
};

// Runs `action`, turning API errors into a clean failure.
template <typename Action>
void with_api(const EventsOptions& options, Action action) {
  try {
    action(ApiClient(*options.api));
  } catch (const ApiError& e) {
    fail(e.what());
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

void resend_event(const EventsOptions& options) {
  with_api(options, [&](const ApiClient& api) {
    const json::value result =
        api.post_form("/v1/events/" + options.event_id + "/retry",
                      {{"webhook_endpoint", options.webhook_endpoint}}, options.stripe_account);
    if (wants_json(*options.format)) return print_json(std::cout, result);
    std::cout << "Resending " << options.event_id << " to " << options.webhook_endpoint
              << " (follow it with `hookline events retrieve " << options.event_id << "`)\n";
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
    command->add_option("--stripe-account", options->stripe_account,
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
  common(retrieve);
  retrieve->callback([options] { retrieve_event(*options); });

  CLI::App* resend = events->add_subcommand("resend", "Deliver an event to an endpoint again");
  resend->add_option("id", options->event_id, "The event (evt_…)")->required();
  resend->add_option("--webhook-endpoint", options->webhook_endpoint, "The endpoint (we_…)")
      ->required();
  common(resend);
  resend->callback([options] { resend_event(*options); });
}

}  // namespace hookline::cli
