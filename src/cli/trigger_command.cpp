// `hookline trigger EVENT`: makes an event of that type happen. Account events
// act on a real connected account through the API (the server emits the
// event); every other type is published with a data.object rendered from its
// fixture (fixtures/<type>.json), on the platform or on a connected account.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <iomanip>
#include <iostream>

#include "catalog/event_types.hpp"
#include "cli/api_client.hpp"
#include "cli/client_commands.hpp"
#include "cli/client_options.hpp"
#include "cli/fixture.hpp"
#include "cli/payload_edit.hpp"

namespace hookline::cli {

namespace json = boost::json;

namespace {

struct TriggerOptions {
  std::string event;
  std::string stripe_account;
  std::vector<std::string> overrides, adds, removes;
  bool list = false;
  std::shared_ptr<ApiConfig> api = std::make_shared<ApiConfig>();
};

std::string field(const json::value& object, std::string_view key) {
  if (!object.is_object()) return {};
  const json::value* found = object.as_object().if_contains(key);
  return found != nullptr && found->is_string() ? std::string(found->as_string()) : std::string();
}

void print_list() {
  std::cout << "Supported events (hookline trigger EVENT):\n";
  for (const Fixture& fixture : all_fixtures()) {
    std::cout << "  " << std::left << std::setw(44) << fixture.event << fixture.description
              << (fixture.requires_connected_account ? " [connected account]" : "") << '\n';
  }
  std::cout << "Account events (account.updated, account.application.deauthorized) act on a "
               "real connected account,\ncreated for the trigger unless --stripe-account names "
               "one. Connect events marked [connected account]\nalso create one when none is "
               "given.\n";
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
       " yet. `hookline trigger --list` lists the supported events; any event type can be "
       "published with POST /v1/events.");
}

std::vector<PayloadEdit> parse_edits(const TriggerOptions& options) {
  std::vector<PayloadEdit> edits;
  auto parse_all = [&](const std::vector<std::string>& texts, PayloadEdit::Kind kind) {
    for (const std::string& text : texts) edits.push_back(parse_payload_edit(kind, text));
  };
  parse_all(options.overrides, PayloadEdit::Kind::kOverride);
  parse_all(options.adds, PayloadEdit::Kind::kAdd);
  parse_all(options.removes, PayloadEdit::Kind::kRemove);
  return edits;
}

// Creates a connected account of `type` for the trigger; returns its id.
std::string create_account(const ApiClient& api, const std::string& type) {
  std::cout << "Setting up fixture for: account (a new " << type << " connected account)"
            << std::endl;
  const json::value account =
      api.post_form("/v1/accounts", {{"type", type}, {"email", "jenny.rosen@example.com"},
                                     {"metadata[created_by]", "hookline trigger"}});
  return field(account, "id");
}

// The id of the newest event of `type` on `account` (created by an action).
std::string newest_event_id(const ApiClient& api, const std::string& type,
                            const std::string& account, int64_t since) {
  const json::value list =
      api.get("/v1/events",
              {{"type", type}, {"limit", "1"}, {"created[gte]", std::to_string(since)}}, account);
  const json::value* data = list.as_object().if_contains("data");
  if (data == nullptr || !data->is_array() || data->as_array().empty()) return {};
  return field(data->as_array().front(), "id");
}

// "metadata.plan" -> "metadata[plan]", the form encoding of a nested parameter.
std::string form_name(const std::vector<std::string>& path) {
  std::string name = path.front();
  for (std::size_t i = 1; i < path.size(); ++i) name += "[" + path[i] + "]";
  return name;
}

std::string form_value(const json::value& value) {
  if (value.is_string()) return std::string(value.as_string());
  return json::serialize(value);
}

// account.updated: updates the account; the server emits the event.
std::string trigger_account_updated(const ApiClient& api, const std::string& account,
                                    const std::vector<PayloadEdit>& edits, int64_t since) {
  FormParams params;
  for (const PayloadEdit& edit : edits) {
    if (edit.kind == PayloadEdit::Kind::kRemove) {
      fail("account.updated updates a real account: --remove does not apply (use --override "
           "account:<field>=<value>).");
    }
    params.emplace_back(form_name(edit.path), form_value(edit.value));
  }
  if (params.empty()) {
    params.emplace_back("metadata[hookline_trigger]", std::to_string(since));
  }
  std::cout << "Running fixture for: account (updating " << account << ")" << std::endl;
  api.post_form("/v1/accounts/" + account, params);
  return newest_event_id(api, "account.updated", account, since);
}

// account.application.deauthorized: the account disconnects from the platform.
// The account's events cannot be listed any more, so the id comes from the answer.
std::string trigger_deauthorized(const ApiClient& api, const std::string& account) {
  std::cout << "Running fixture for: application (deauthorizing " << account << ")" << std::endl;
  return field(api.post_form("/oauth/deauthorize", {{"stripe_user_id", account}}),
               "hookline_event_id");
}

std::string trigger_from_fixture(const ApiClient& api, const Fixture& fixture,
                                 const std::string& account, const std::vector<PayloadEdit>& edits,
                                 int64_t now) {
  json::object data = render_fixture(fixture, FixtureContext{now, account});
  json::value& object = data["object"];
  for (const PayloadEdit& edit : edits) apply_payload_edit(object, edit);
  json::object body;
  body["type"] = fixture.event;
  body["data"] = std::move(data);
  std::cout << "Running fixture for: " << fixture.name << std::endl;
  const json::value event = api.post_json("/v1/events", body, account);
  return field(event, "id");
}

void run_trigger(const TriggerOptions& options) {
  if (options.list) return print_list();
  if (options.event.empty()) fail("Name an event type: hookline trigger EVENT (see --list).");
  const std::string& type = options.event;
  const bool account_updated = type == "account.updated";
  const bool deauthorized = type == "account.application.deauthorized";
  const Fixture* fixture = find_fixture(type);
  if (fixture == nullptr) fail_unsupported(type);

  std::vector<PayloadEdit> edits;
  try {
    edits = parse_edits(options);
    for (const PayloadEdit& edit : edits) {
      if (edit.fixture != fixture->name) {
        throw PayloadEditError("The fixture of " + type + " is named \"" + fixture->name +
                               "\", not \"" + edit.fixture + "\": write " + fixture->name + ":" +
                               edit.path_text + ".");
      }
    }
    if (deauthorized && !edits.empty()) {
      throw PayloadEditError(
          "account.application.deauthorized deauthorizes a real account: its payload cannot be "
          "edited.");
    }
  } catch (const PayloadEditError& e) {
    fail(e.what());
  }

  require_api_key(*options.api);
  const ApiClient api(*options.api);
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  try {
    std::string account = options.stripe_account;
    if (account.empty() && fixture->requires_connected_account) {
      account = create_account(api, deauthorized ? "standard" : "custom");
    }
    std::string event_id;
    if (account_updated) {
      event_id = trigger_account_updated(api, account, edits, now);
    } else if (deauthorized) {
      event_id = trigger_deauthorized(api, account);
    } else {
      event_id = trigger_from_fixture(api, *fixture, account, edits, now);
    }
    std::cout << "Trigger succeeded! " << type << " " << (event_id.empty() ? "(event id unknown)" : event_id)
              << (account.empty() ? "" : " on " + account) << std::endl;
  } catch (const PayloadEditError& e) {
    fail(e.what());
  } catch (const ApiError& e) {
    fail(std::string("Trigger failed: ") + e.what());
  }
}

}  // namespace

void add_trigger_command(CLI::App& app) {
  auto options = std::make_shared<TriggerOptions>();
  CLI::App* trigger = app.add_subcommand(
      "trigger", "Make an event of a given type happen (payment_intent.succeeded, …)");
  trigger->add_option("event", options->event, "The event type, e.g. payment_intent.succeeded");
  trigger->add_option("--stripe-account", options->stripe_account,
                      "Make it happen on this connected account (acct_…)");
  trigger->add_option("--override", options->overrides,
                      "Change a field: <fixture>:<path>=<value>, e.g. payment_intent:amount=3000");
  trigger->add_option("--add", options->adds,
                      "Add a field: <fixture>:<path>=<value>, e.g. "
                      "payment_intent:metadata.order=6735");
  trigger->add_option("--remove", options->removes,
                      "Remove a field: <fixture>:<path>, e.g. payment_intent:description");
  trigger->add_flag("--list", options->list, "List the supported events");
  add_api_options(*trigger, options->api);
  trigger->callback([options] { run_trigger(*options); });
}

}  // namespace hookline::cli
