#include "cli/fixture_file.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>

#include "cli/embedded_fixtures.hpp"

namespace hookline::cli {

namespace json = boost::json;

namespace {

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// {"recurring[interval]": "month"} -> {"recurring": {"interval": "month"}}, at every level;
// {"payment_method_types[]": "card"} -> {"payment_method_types": ["card"]}, as a form reads it.
json::value expand_form_names(const json::value& value) {
  if (value.is_array()) {
    json::array out;
    for (const json::value& element : value.as_array()) out.push_back(expand_form_names(element));
    return out;
  }
  if (!value.is_object()) return value;
  json::object out;
  for (const auto& field : value.as_object()) {
    const std::string key(field.key());
    const auto open = key.find('[');
    if (open == std::string::npos || open == 0 || key.back() != ']') {
      out[key] = expand_form_names(field.value());
      continue;
    }
    std::vector<std::string> path = {key.substr(0, open)};
    for (std::size_t i = open; i < key.size() && key[i] == '[';) {
      const auto close = key.find(']', i);
      path.push_back(key.substr(i + 1, close - i - 1));
      i = close + 1;
    }
    const bool append = path.size() > 1 && path.back().empty();
    if (append) path.pop_back();
    json::object* target = &out;
    for (std::size_t i = 0; i + 1 < path.size(); ++i) {
      json::value& next = (*target)[path[i]];
      if (!next.is_object()) next = json::object();
      target = &next.as_object();
    }
    json::value& slot = (*target)[path.back()];
    if (!append) {
      slot = expand_form_names(field.value());
    } else {
      if (!slot.is_array()) slot = json::array();
      slot.as_array().push_back(expand_form_names(field.value()));
    }
  }
  return out;
}

std::string text_field(const json::object& o, std::string_view key, const std::string& where,
                       bool required) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (required) throw FixtureFileError(where + ": missing \"" + std::string(key) + "\".");
    return {};
  }
  if (!v->is_string())
    throw FixtureFileError(where + ": \"" + std::string(key) + "\" is not a string.");
  return std::string(v->as_string());
}

}  // namespace

FixtureFile parse_fixture_file(std::string_view text, std::string_view source) {
  const std::string file(source);
  boost::system::error_code ec;
  const json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object())
    throw FixtureFileError(file + ": not a JSON object (" + ec.message() + ").");
  const json::object& root = doc.as_object();
  FixtureFile out;
  if (const json::value* meta = root.if_contains("_meta"); meta != nullptr && meta->is_object()) {
    if (const json::value* version = meta->as_object().if_contains("template_version");
        version != nullptr && version->is_number() && version->to_number<double>() > 0) {
      throw FixtureFileError(file +
                             ": fixture version not supported: " + json::serialize(*version) +
                             " (hookline reads template_version 0, as the Stripe CLI).");
    }
    if (const json::value* aliases = meta->as_object().if_contains("aliases");
        aliases != nullptr && aliases->is_array()) {
      for (const json::value& alias : aliases->as_array()) {
        if (alias.is_string()) out.aliases.emplace_back(alias.as_string());
      }
    }
  }
  const json::value* steps = root.if_contains("fixtures");
  if (steps == nullptr || !steps->is_array()) {
    throw FixtureFileError(file + ": missing the \"fixtures\" array of steps.");
  }
  for (std::size_t i = 0; i < steps->as_array().size(); ++i) {
    const json::value& item = steps->as_array()[i];
    const std::string where = file + ": step " + std::to_string(i + 1);
    if (!item.is_object()) throw FixtureFileError(where + " is not an object.");
    const json::object& o = item.as_object();
    FixtureStep step;
    step.name = text_field(o, "name", where, true);
    const std::string named = where + " (" + step.name + ")";
    step.path = text_field(o, "path", named, true);
    step.method = upper(text_field(o, "method", named, true));
    if (step.method != "GET" && step.method != "POST" && step.method != "DELETE") {
      throw FixtureFileError(named + ": method \"" + step.method +
                             "\" is not get, post or delete.");
    }
    step.expected_error_type = text_field(o, "expected_error_type", named, false);
    if (const json::value* params = o.if_contains("params");
        params != nullptr && !params->is_null()) {
      if (!params->is_object()) throw FixtureFileError(named + ": \"params\" is not an object.");
      step.params = expand_form_names(*params).as_object();
    }
    if (const json::value* headers = o.if_contains("headers");
        headers != nullptr && headers->is_object()) {
      step.headers = headers->as_object();
    }
    out.steps.push_back(std::move(step));
  }
  if (const json::value* env = root.if_contains("env"); env != nullptr && env->is_object()) {
    out.env = env->as_object();
  }
  return out;
}

void apply_fixture_edits(FixtureFile& file, const std::vector<PayloadEdit>& edits) {
  FixtureFile edited = file;
  for (const PayloadEdit& edit : edits) {
    // Steps may share a name (quote, then quote's finalize): the edit goes to
    // every one it fits, and fails if it fits none.
    bool found = false, fitted = false;
    std::string first_error;
    for (FixtureStep& step : edited.steps) {
      if (step.name != edit.fixture) continue;
      found = true;
      json::value params = step.params;
      try {
        apply_payload_edit(params, edit);
      } catch (const PayloadEditError& e) {
        if (first_error.empty()) first_error = e.what();
        continue;
      }
      fitted = true;
      step.params = std::move(params.as_object());
    }
    if (found && !fitted) throw PayloadEditError(first_error);
    if (!found) {
      std::string names;
      for (const FixtureStep& step : file.steps) {
        if ((", " + names + ",").find(", " + step.name + ",") != std::string::npos) continue;
        names += (names.empty() ? "" : ", ") + step.name;
      }
      throw PayloadEditError("No step of the fixture is named \"" + edit.fixture + "\" (in " +
                             edit.fixture + ":" + edit.path_text + "). Valid names: " + names +
                             ".");
    }
  }
  file = std::move(edited);
}

void check_skip_names(const FixtureFile& file, const std::vector<std::string>& skip) {
  for (const std::string& name : skip) {
    const bool known = std::any_of(file.steps.begin(), file.steps.end(),
                                   [&](const FixtureStep& step) { return step.name == name; });
    if (!known)
      throw FixtureFileError("--skip " + name + ": no step of the fixture has that name.");
  }
}

namespace {

const std::map<std::string, std::string_view, std::less<>>& trigger_index() {
  static const auto index = [] {
    std::map<std::string, std::string_view, std::less<>> map;
    constexpr std::string_view kPrefix = "triggers/", kSuffix = ".json";
    for (const EmbeddedFixture& file : embedded_fixtures()) {
      const std::string_view name = file.file_name;
      if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix)) continue;
      const std::string event(
          name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size()));
      map.emplace(event, file.text);
      for (const std::string& alias : parse_fixture_file(file.text, name).aliases) {
        map.emplace(alias, file.text);
      }
    }
    return map;
  }();
  return index;
}

}  // namespace

const std::vector<std::string>& trigger_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> list;
    for (const auto& [name, text] : trigger_index()) list.push_back(name);
    return list;
  }();
  return names;
}

const std::string_view* find_trigger_fixture(std::string_view name) {
  const auto& index = trigger_index();
  const auto found = index.find(name);
  return found == index.end() ? nullptr : &found->second;
}

}  // namespace hookline::cli
