// `hookline accounts create|list|deauthorize`: connected accounts.
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

struct AccountsOptions {
  std::shared_ptr<ApiConfig> api = std::make_shared<ApiConfig>();
  std::shared_ptr<std::string> format = std::make_shared<std::string>();
  std::string id;
  std::string type = "custom";
  std::string email;
  std::string country;
  bool platform_controls = false;
  int limit = 10;
};

template <typename Action>
void with_api(const AccountsOptions& options, Action action) {
  try {
    action(ApiClient(*options.api));
  } catch (const ApiError& e) {
    fail(e.what());
  }
}

std::vector<std::string> account_row(const json::value& account) {
  const json::value* created = account.as_object().if_contains("created");
  return {text_field(account, "id"), text_field(account, "type"), text_field(account, "email"),
          created != nullptr && created->is_number() ? format_time(created->to_number<int64_t>())
                                                     : ""};
}

void create_account(const AccountsOptions& options) {
  with_api(options, [&](const ApiClient& api) {
    FormParams params{{"type", options.type}};
    if (!options.email.empty()) params.emplace_back("email", options.email);
    if (!options.country.empty()) params.emplace_back("country", options.country);
    if (options.platform_controls) {
      // Stripe's controller settings that give the platform control of a Standard account.
      params.emplace_back("controller[requirement_collection]", "application");
      params.emplace_back("controller[fees][payer]", "application");
    }
    const json::value account = api.post_form("/v1/accounts", params);
    if (wants_json(*options.format)) return print_json(std::cout, account);
    print_table(std::cout, {"ID", "TYPE", "EMAIL", "CREATED (UTC)"}, {account_row(account)});
  });
}

void list_accounts(const AccountsOptions& options) {
  with_api(options, [&](const ApiClient& api) {
    const json::value list = api.get("/v1/accounts", {{"limit", std::to_string(options.limit)}});
    if (wants_json(*options.format)) return print_json(std::cout, list);
    std::vector<std::vector<std::string>> rows;
    for (const json::value& account : list.at("data").as_array()) {
      rows.push_back(account_row(account));
    }
    print_table(std::cout, {"ID", "TYPE", "EMAIL", "CREATED (UTC)"}, rows);
  });
}

void deauthorize_account(const AccountsOptions& options) {
  with_api(options, [&](const ApiClient& api) {
    const json::value result = api.post_form("/oauth/deauthorize", {{"stripe_user_id", options.id}});
    if (wants_json(*options.format)) return print_json(std::cout, result);
    std::cout << "Deauthorized " << options.id
              << ": it no longer receives events except account.application.deauthorized\n";
  });
}

}  // namespace

void add_accounts_command(CLI::App& app) {
  auto options = std::make_shared<AccountsOptions>();
  CLI::App* accounts = app.add_subcommand("accounts", "Manage connected accounts");
  accounts->require_subcommand(1);
  auto common = [&](CLI::App* command) {
    add_api_options(*command, options->api);
    add_format_option(*command, options->format);
  };

  CLI::App* create = accounts->add_subcommand("create", "Create a connected account");
  create->add_option("--type", options->type, "custom, express or standard")
      ->check(CLI::IsMember({"custom", "express", "standard"}))
      ->capture_default_str();
  create->add_option("--email", options->email, "The account's email");
  create->add_option("--country", options->country, "Two-letter country code");
  create->add_flag("--platform-controls", options->platform_controls,
                   "Standard only: the platform controls the account");
  common(create);
  create->callback([options] { create_account(*options); });

  CLI::App* list = accounts->add_subcommand("list", "List connected accounts");
  list->add_option("--limit", options->limit, "How many (1-100)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  common(list);
  list->callback([options] { list_accounts(*options); });

  CLI::App* deauthorize = accounts->add_subcommand(
      "deauthorize", "Disconnect an account from the platform (account.application.deauthorized)");
  deauthorize->add_option("id", options->id, "The connected account (acct_…)")->required();
  common(deauthorize);
  deauthorize->callback([options] { deauthorize_account(*options); });
}

}  // namespace hookline::cli
