#include "cli/fixture_runner.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <ostream>
#include <stdexcept>

namespace hookline::cli {

namespace json = boost::json;

namespace {

std::string string_field(const json::value& value, std::string_view key) {
  if (!value.is_object()) return {};
  const json::value* found = value.as_object().if_contains(key);
  return found != nullptr && found->is_string() ? std::string(found->as_string()) : std::string();
}

void add_form(FormParams& out, const std::string& name, const json::value& value) {
  if (value.is_object()) {
    for (const auto& field : value.as_object())
      add_form(out, name + "[" + std::string(field.key()) + "]", field.value());
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.as_array().size(); ++i) {
      add_form(out, name + "[" + std::to_string(i) + "]", value.as_array()[i]);
    }
  } else if (value.is_string()) {
    out.emplace_back(name, std::string(value.as_string()));
  } else if (!value.is_null()) {
    out.emplace_back(name, json::serialize(value));
  }
}

bool skipped(const std::vector<std::string>& skip, const std::string& name) {
  return std::find(skip.begin(), skip.end(), name) != skip.end();
}

// The connected-account calls hookline serves itself.
enum class AccountCall { kNone, kCreate, kRetrieve, kUpdate, kDeauthorize };

AccountCall account_call(const std::string& method, std::string_view path) {
  constexpr std::string_view kAccounts = "/v1/accounts";
  if (!path.starts_with(kAccounts)) return AccountCall::kNone;
  std::string_view rest = path.substr(kAccounts.size());
  if (rest.empty() || rest == "/")
    return method == "POST" ? AccountCall::kCreate : AccountCall::kNone;
  if (rest.front() != '/' || rest.find('/', 1) != std::string_view::npos) return AccountCall::kNone;
  if (method == "GET") return AccountCall::kRetrieve;
  return method == "POST" ? AccountCall::kUpdate : AccountCall::kDeauthorize;
}

// An answer that must be an object of `type` with an id: anything else means
// the API base is not a hookline server.
const json::value& expect_object(const json::value& answer, std::string_view type,
                                 const std::string& what) {
  const std::string id = string_field(answer, "id");
  if (string_field(answer, "object") != type || id.empty()) {
    std::string shown = json::serialize(answer);
    if (shown.size() > 120) shown = shown.substr(0, 117) + "...";
    throw std::runtime_error(what + ": the server did not answer with " + std::string(type) +
                             " (got " + shown + "). Is the API base a hookline server?");
  }
  return answer;
}

}  // namespace

FormParams form_params(const json::object& params) {
  FormParams out;
  for (const auto& field : params) add_form(out, std::string(field.key()), field.value());
  return out;
}

std::string ServerFixtureBackend::publish(const ModeledEvent& event) {
  json::object body;
  body["type"] = event.type;
  body["data"] = event.data;
  const json::value answer = api_.post_json("/v1/events", body, event.account);
  return string_field(expect_object(answer, "event", "Publishing " + event.type), "id");
}

json::value ServerFixtureBackend::call(const std::string& method, const std::string& path,
                                       const FormParams& params) {
  if (method == "GET") return api_.get(path, params);
  if (method == "DELETE") return api_.del(path);
  return api_.post_form(path, params);
}

std::string ServerFixtureBackend::newest_event(const std::string& type, const std::string& account,
                                               int64_t since) {
  const json::value list =
      api_.get("/v1/events",
               {{"type", type}, {"limit", "1"}, {"created[gte]", std::to_string(since)}}, account);
  const json::value* data = list.is_object() ? list.as_object().if_contains("data") : nullptr;
  if (string_field(list, "object") != "list" || data == nullptr || !data->is_array()) {
    throw std::runtime_error(
        "Listing events: the server did not answer with a list. Is the API base a hookline "
        "server?");
  }
  if (data->as_array().empty()) return {};
  return string_field(data->as_array().front(), "id");
}

void check_fixture_runnable(const FixtureFile& file, const std::vector<std::string>& skip) {
  check_skip_names(file, skip);
  const ApiModel& model = ApiModel::built_in();
  for (const FixtureStep& step : file.steps) {
    if (skipped(skip, step.name)) continue;
    if (!step.path.starts_with("/v1/") && !step.path.starts_with("/v2/")) {
      throw FixtureFileError("Step \"" + step.name + "\": path " + step.path +
                             " is not a Stripe API path (it must start with /v1/ or /v2/).");
    }
    if (account_call(step.method, step.path) != AccountCall::kNone) continue;
    if (!model.models(step.method, step.path)) {
      throw FixtureFileError(
          "Step \"" + step.name + "\": hookline cannot model " + step.method + " " + step.path +
          ". hookline has no payments API: it turns the API calls of the Stripe "
          "CLI's trigger fixtures into the objects and events they produce (README, "
          "Fixture files, lists them); publish other events with POST /v1/events.");
    }
  }
}

FixtureRunResult run_fixture(const FixtureFile& file, const FixtureRunOptions& options,
                             FixtureBackend& backend, std::ostream& out) {
  check_fixture_runnable(file, options.skip);
  const ApiModel& model = ApiModel::built_in();
  ModelWorld world(options.now);
  FixtureRunResult result;
  auto record = [&](const std::string& type, const std::string& id, const std::string& account) {
    if (id.empty()) {
      throw std::runtime_error("The server made no " + type +
                               " event. Is the API base a hookline server?");
    }
    out << "  --> " << type << " [" << id << "]" << (account.empty() ? "" : " on " + account)
        << std::endl;
    result.events.push_back({id, type, account});
  };

  for (const FixtureStep& step : file.steps) {
    if (skipped(options.skip, step.name)) {
      out << "Skipping fixture for: " << step.name << std::endl;
      continue;
    }
    out << "Setting up fixture for: " << step.name << std::endl;
    const std::string where = "Step \"" + step.name + "\"";
    std::string path;
    json::object params;
    std::string account = options.stripe_account;
    try {
      path = std::string(resolve_references(json::string(step.path), result.answers).as_string());
      params = resolve_references(step.params, result.answers).as_object();
      const json::value headers = resolve_references(step.headers, result.answers);
      const std::string header_account = string_field(headers, "Stripe-Account");
      if (!header_account.empty()) account = header_account;
    } catch (const FixtureFileError& e) {
      throw FixtureFileError(where + ": " + e.what());
    }
    out << "Running fixture for: " << step.name << std::endl;

    json::value answer;
    const AccountCall kind = account_call(step.method, path);
    try {
      if (kind == AccountCall::kCreate && !options.stripe_account.empty()) {
        out << "  using the connected account " << options.stripe_account << std::endl;
        answer = backend.call("GET", "/v1/accounts/" + options.stripe_account, {});
        expect_object(answer, "account", where);
      } else if (kind == AccountCall::kCreate || kind == AccountCall::kRetrieve) {
        answer = backend.call(step.method, path, form_params(params));
        expect_object(answer, "account", where);
      } else if (kind == AccountCall::kUpdate) {
        const std::string id = path.substr(path.rfind('/') + 1);
        const int64_t since = options.now;
        answer = backend.call("POST", path, form_params(params));
        expect_object(answer, "account", where);
        record("account.updated", backend.newest_event("account.updated", id, since), id);
      } else if (kind == AccountCall::kDeauthorize) {
        const std::string id = path.substr(path.rfind('/') + 1);
        answer = backend.call("POST", "/oauth/deauthorize", {{"stripe_user_id", id}});
        record("account.application.deauthorized", string_field(answer, "hookline_event_id"), id);
      } else {
        ModeledAnswer modeled = model.apply(world, ModeledCall{step.method, path, params, account});
        for (const ModeledEvent& event : modeled.events) {
          record(event.type, backend.publish(event), event.account);
        }
        answer = std::move(modeled.object);
      }
    } catch (const ApiError& e) {
      if (step.expected_error_type.empty()) throw ApiError(e.status(), where + ": " + e.what());
      out << "  failed as expected (" << step.expected_error_type << ")" << std::endl;
      answer = json::object{
          {"error", json::object{{"type", step.expected_error_type}, {"message", e.what()}}}};
    } catch (const FixtureFileError& e) {
      throw FixtureFileError(where + ": " + e.what());
    }
    result.answers[step.name] = std::move(answer);
  }
  try {
    result.env = resolve_references(file.env, result.answers).as_object();
  } catch (const FixtureFileError& e) {
    throw FixtureFileError(std::string("\"env\": ") + e.what());
  }
  return result;
}

}  // namespace hookline::cli
