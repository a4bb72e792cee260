// `hookline endpoints create|list|update|delete|attempts`: webhook endpoints.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>

#include "cli/api_client.hpp"
#include "cli/attempt_table.hpp"
#include "cli/client_commands.hpp"
#include "cli/client_options.hpp"
#include "cli/flag_values.hpp"
#include "cli/http_client.hpp"
#include "cli/output.hpp"

namespace hookline::cli {

namespace json = boost::json;

namespace {

struct EndpointsOptions {
  std::shared_ptr<ApiConfig> api = std::make_shared<ApiConfig>();
  std::shared_ptr<std::string> format = std::make_shared<std::string>();
  std::string stripe_account;
  std::string id;
  std::string url;
  std::vector<std::string> events;
  std::string description;
  std::string api_version;
  bool connect = false;
  bool disable = false;
  bool enable = false;
  int limit = 10;
};

template <typename Action>
void with_api(const EndpointsOptions& options, Action action) {
  try {
    action(ApiClient(*options.api));
  } catch (const ApiError& e) {
    fail(e.what());
  }
}

// The parameters create and update share.
FormParams endpoint_params(const EndpointsOptions& options) {
  FormParams params;
  if (!options.url.empty()) params.emplace_back("url", with_default_scheme(options.url));
  for (const std::string& type : options.events) params.emplace_back("enabled_events[]", type);
  if (!options.description.empty()) params.emplace_back("description", options.description);
  return params;
}

const std::vector<std::string> kEndpointColumns = {"ID", "URL", "KIND", "STATUS", "MODE", "EVENTS"};

// A Connect endpoint is the one with an `application`, as on Stripe.
std::vector<std::string> endpoint_row(const json::value& endpoint) {
  return {text_field(endpoint, "id"),
          text_field(endpoint, "url"),
          text_field(endpoint, "application").empty() ? "account" : "connect",
          text_field(endpoint, "status"),
          text_field(endpoint, "livemode") == "true" ? "live" : "test",
          text_field(endpoint, "enabled_events")};
}

void print_endpoint(const EndpointsOptions& options, const json::value& endpoint) {
  if (wants_json(*options.format)) return print_json(std::cout, endpoint);
  print_table(std::cout, kEndpointColumns, {endpoint_row(endpoint)});
  const std::string secret = text_field(endpoint, "secret");
  if (!secret.empty()) std::cout << "Signing secret: " << secret << '\n';
}

void create_endpoint(const EndpointsOptions& options) {
  with_api(options, [&](const ApiClient& api) {
    FormParams params = endpoint_params(options);
    if (options.events.empty()) params.emplace_back("enabled_events[]", "*");
    if (options.connect) params.emplace_back("connect", "true");
    if (!options.api_version.empty()) params.emplace_back("api_version", options.api_version);
    print_endpoint(options, api.post_form("/v1/webhook_endpoints", params, options.stripe_account));
  });
}

void list_endpoints(const EndpointsOptions& options) {
  with_api(options, [&](const ApiClient& api) {
    const json::value list = api.get("/v1/webhook_endpoints",
                                     {{"limit", std::to_string(options.limit)}},
                                     options.stripe_account);
    if (wants_json(*options.format)) return print_json(std::cout, list);
    std::vector<std::vector<std::string>> rows;
    for (const json::value& endpoint : list.at("data").as_array()) {
      rows.push_back(endpoint_row(endpoint));
    }
    print_table(std::cout, kEndpointColumns, rows);
  });
}

void update_endpoint(const EndpointsOptions& options) {
  with_api(options, [&](const ApiClient& api) {
    FormParams params = endpoint_params(options);
    if (options.disable) params.emplace_back("disabled", "true");
    if (options.enable) params.emplace_back("disabled", "false");
    if (params.empty()) fail("Nothing to update: give --url, --events, --description, "
                             "--disable or --enable.");
    print_endpoint(options,
                   api.post_form("/v1/webhook_endpoints/" + options.id, params,
                                 options.stripe_account));
  });
}

void list_endpoint_attempts(const EndpointsOptions& options) {
  with_api(options, [&](const ApiClient& api) {
    const json::value list = api.get("/v1/webhook_endpoints/" + options.id + "/attempts",
                                     {{"limit", std::to_string(options.limit)}},
                                     options.stripe_account);
    if (wants_json(*options.format)) return print_json(std::cout, list);
    print_attempts(std::cout, list, AttemptsOf::kEndpoint);
  });
}

void delete_endpoint(const EndpointsOptions& options) {
  with_api(options, [&](const ApiClient& api) {
    const json::value result = api.del("/v1/webhook_endpoints/" + options.id,
                                       options.stripe_account);
    if (wants_json(*options.format)) return print_json(std::cout, result);
    std::cout << "Deleted " << options.id << '\n';
  });
}

}  // namespace

void add_endpoints_command(CLI::App& app) {
  auto options = std::make_shared<EndpointsOptions>();
  CLI::App* endpoints = app.add_subcommand("endpoints", "Manage webhook endpoints");
  endpoints->require_subcommand(1);
  auto common = [&](CLI::App* command) {
    add_api_options(*command, options->api);
    add_format_option(*command, options->format);
    command->add_option("--stripe-account", options->stripe_account,
                        "Act as this connected account (acct_…)");
  };
  auto events_option = [&](CLI::App* command, const std::string& events_help) {
    add_comma_list_option(*command, "--events", options->events, events_help);
    command->add_option("--description", options->description, "A description");
  };

  CLI::App* create = endpoints->add_subcommand("create", "Create a webhook endpoint");
  create->add_option("--url", options->url, "Where events are POSTed")->required();
  create->add_flag("--connect", options->connect,
                   "A Connect endpoint: events of every connected account");
  create->add_option("--api-version", options->api_version, "The endpoint's API version");
  events_option(create, "Event types it receives, comma-separated (default: *)");
  common(create);
  create->callback([options] { create_endpoint(*options); });

  CLI::App* list = endpoints->add_subcommand("list", "List webhook endpoints");
  list->add_option("--limit", options->limit, "How many (1-100)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  common(list);
  list->callback([options] { list_endpoints(*options); });

  CLI::App* update = endpoints->add_subcommand("update", "Change a webhook endpoint");
  update->add_option("id", options->id, "The endpoint (we_…)")->required();
  update->add_option("--url", options->url, "New URL");
  update->add_flag("--disable", options->disable, "Stop deliveries to it");
  update->add_flag("--enable", options->enable, "Resume deliveries to it");
  events_option(update, "Event types it receives from now on, comma-separated (default: "
                        "unchanged)");
  common(update);
  update->callback([options] { update_endpoint(*options); });

  CLI::App* remove = endpoints->add_subcommand("delete", "Delete a webhook endpoint");
  remove->add_option("id", options->id, "The endpoint (we_…)")->required();
  common(remove);
  remove->callback([options] { delete_endpoint(*options); });

  CLI::App* attempts = endpoints->add_subcommand(
      "attempts", "Show the delivery attempts to an endpoint, newest first");
  attempts->add_option("id", options->id, "The endpoint (we_…)")->required();
  attempts->add_option("--limit", options->limit, "How many (1-100)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  common(attempts);
  attempts->callback([options] { list_endpoint_attempts(*options); });
}

}  // namespace hookline::cli
