#include "cli/api_model.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>
#include <set>
#include <stdexcept>

#include "catalog/event_types.hpp"
#include "cli/embedded_fixtures.hpp"
#include "cli/fixture.hpp"
#include "cli/fixture_file.hpp"
#include "cli/model_applier.hpp"

namespace hookline::cli {

namespace json = boost::json;

namespace {

using Captures = std::map<std::string, std::string, std::less<>>;

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    const auto slash = path.find('/');
    const std::string_view segment = path.substr(0, slash);
    if (!segment.empty()) segments.push_back(segment);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

// `pattern` ("/v1/customers/{id}") against the first segments of `path`;
// returns how many of path's segments are left over, or -1. A path segment
// still holding a ${…} reference matches only a {capture}.
int match_prefix(std::string_view pattern, const std::vector<std::string_view>& path,
                 Captures& captures) {
  const auto parts = split_path(pattern);
  if (parts.size() > path.size()) return -1;
  Captures found;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].starts_with('{')) {
      found[std::string(parts[i].substr(1, parts[i].size() - 2))] = std::string(path[i]);
    } else if (parts[i] != path[i]) {
      return -1;
    }
  }
  captures = std::move(found);
  return static_cast<int>(path.size() - parts.size());
}

}  // namespace

struct ApiModel::Match {
  const json::object* row = nullptr;  // an explicit call; nullptr: a plain resource call
  std::string kind;                   // the type of the object the call acts on
  std::string events;                 // the resource's event prefix
  std::string action;                 // create, update, delete, get, list, act
  std::string verb;
  Captures captures;
};

const ApiModel& ApiModel::built_in() {
  static const ApiModel model = [] {
    const std::string_view* text = find_embedded_fixture("model/api_model.json");
    if (text == nullptr)
      throw std::runtime_error("fixtures/model/api_model.json is not compiled in");
    boost::system::error_code ec;
    const json::value table = json::parse(*text, ec);
    if (ec) throw std::runtime_error("fixtures/model/api_model.json: " + ec.message());
    return ApiModel(table);
  }();
  return model;
}

ApiModel::ApiModel(const json::value& table) {
  const json::object& root = table.as_object();
  objects_ = root.at("objects").as_object();
  resources_ = root.at("resources").as_array();
  verbs_ = root.at("verbs").as_object();
  calls_ = root.at("calls").as_array();
  for (const auto& [kind, spec] : objects_) {
    const std::string from = model_string_field(spec.as_object(), "template");
    if (!from.empty() && find_fixture(from) == nullptr) {
      throw std::runtime_error("api_model.json: the template of " + std::string(kind) + ", " +
                               from + ", is not a fixture");
    }
  }
}

bool ApiModel::find_row(const ModelWorld* world, const ModeledCall& call, Match& match) const {
  const auto path = split_path(call.path);
  // The resource the path belongs to: the longest pattern it starts with.
  const json::object* resource = nullptr;
  int left_over = -1;
  Captures resource_captures;
  for (const json::value& item : resources_) {
    Captures captures;
    const int left = match_prefix(item.at("path").as_string(), path, captures);
    if (left >= 0 && (left_over < 0 || left < left_over)) {
      resource = &item.as_object();
      left_over = left;
      resource_captures = std::move(captures);
    }
  }
  auto subject_of = [&](const Captures& captures) -> const json::object* {
    const auto id = captures.find("id");
    if (world == nullptr || id == captures.end()) return nullptr;
    const auto found = world->by_id.find(id->second);
    return found == world->by_id.end() ? nullptr : &world->objects[found->second];
  };
  auto condition_holds = [&](std::string_view key, const json::value& expected,
                             const json::object* subject) {
    std::vector<std::string> segments;
    for (std::size_t start = 0;;) {
      const auto dot = key.find('.', start);
      segments.emplace_back(key.substr(start, dot == std::string_view::npos ? dot : dot - start));
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
    const json::value* current = nullptr;
    json::value subject_value;
    if (segments[0] == "object") {
      if (subject == nullptr) return false;
      subject_value = *subject;
      current = &subject_value;
    } else {
      current = call.params.if_contains(segments[0]);
    }
    for (std::size_t i = 1; current != nullptr && i < segments.size(); ++i) {
      if (current->is_string()) {  // an id: go on in the object it names
        const auto found = world->by_id.find(std::string(current->as_string()));
        if (found == world->by_id.end()) return false;
        current = world->objects[found->second].if_contains(segments[i]);
      } else if (current->is_object()) {
        current = current->as_object().if_contains(segments[i]);
      } else {
        return false;
      }
    }
    if (current == nullptr || current->is_null()) return false;
    auto one = [&](const json::value& value, const json::value& want) {
      if (want == "*") return value != "";
      const std::string text = model_text(value);
      if (text == model_text(want)) return true;
      const auto origin = world->origin.find(text);
      return origin != world->origin.end() && origin->second == model_text(want);
    };
    auto any = [&](const json::value& value) {
      if (!expected.is_array()) return one(value, expected);
      for (const json::value& want : expected.as_array()) {
        if (one(value, want)) return true;
      }
      return false;
    };
    if (current->is_array() && expected != "*") {
      for (const json::value& element : current->as_array()) {
        if (any(element)) return true;
      }
      return false;
    }
    return any(*current);
  };

  for (const json::value& item : calls_) {
    const json::object& row = item.as_object();
    if (row.at("method").as_string() != call.method) continue;
    Captures captures;
    if (match_prefix(row.at("path").as_string(), path, captures) != 0) continue;
    if (world != nullptr) {
      const json::object* subject = subject_of(captures);
      bool holds = true;
      if (const json::value* when = row.if_contains("when")) {
        for (const auto& [key, expected] : when->as_object()) {
          holds = holds && condition_holds(key, expected, subject);
        }
      }
      if (!holds) continue;
    }
    match.row = &row;
    match.action = std::string(row.at("action").as_string());
    match.captures = std::move(captures);
    match.kind = model_string_field(row, "object");
    if (resource != nullptr) {
      if (match.kind.empty()) match.kind = model_string_field(*resource, "object");
      match.events = model_string_field(*resource, "events");
    }
    if (match.kind.empty()) return false;
    return true;
  }
  if (resource == nullptr) return false;
  match.kind = model_string_field(*resource, "object");
  match.events = model_string_field(*resource, "events");
  match.captures = resource_captures;
  if (left_over == 0) {
    match.action = call.method == "POST" ? "create" : call.method == "GET" ? "list" : "";
  } else if (left_over == 1) {
    match.captures["id"] = std::string(path.back());
    match.action = call.method == "POST" ? "update" : call.method == "GET" ? "get" : "delete";
  } else if (left_over == 2 && call.method == "POST" && verbs_.contains(path.back())) {
    match.captures["id"] = std::string(path[path.size() - 2]);
    match.action = "act";
    match.verb = std::string(path.back());
  }
  return !match.action.empty();
}

bool ApiModel::models(std::string_view method, std::string_view path) const {
  Match match;
  return find_row(nullptr, ModeledCall{std::string(method), std::string(path), {}, {}}, match);
}

ModeledAnswer ApiModel::apply(ModelWorld& world, const ModeledCall& call) const {
  Match match;
  if (!find_row(&world, call, match)) {
    throw FixtureFileError("hookline cannot model " + call.method + " " + call.path +
                           " (hookline has no payments API; it models the calls of the Stripe "
                           "CLI's trigger fixtures: see README, Fixture files).");
  }
  const auto account = match.captures.find("account");
  ModelApplier applier(objects_, world, call,
                       account != match.captures.end() ? account->second : call.account);
  const auto id = match.captures.find("id");
  std::optional<std::size_t> subject;
  if (match.action == "create") {
    subject = applier.new_object(match.kind);
    applier.merge_params(*subject);
  } else if (match.action != "list") {
    if (id == match.captures.end())
      throw FixtureFileError(call.path + ": no object id in the path.");
    subject = applier.find_or_new(match.kind, id->second);
    if (match.action == "update") applier.merge_params(*subject);
  }

  auto event_if_known = [&](const std::string& type, bool with_previous) {
    if (subject && catalog::is_known_event_type(type)) applier.emit(type, *subject, with_previous);
  };
  if (match.row != nullptr) {
    if (const json::value* effects = match.row->if_contains("do")) {
      for (const json::value& item : effects->as_array()) {
        const json::object& effect = item.as_object();
        const std::string condition = model_string_field(effect, "if");
        if (!condition.empty() && !applier.has(condition)) continue;
        const std::string exclusion = model_string_field(effect, "unless");
        if (!exclusion.empty() && applier.has(exclusion)) continue;
        const std::string made = model_string_field(effect, "new");
        const std::string on = model_string_field(effect, "on");
        std::size_t target = 0;
        if (!made.empty()) {
          target = applier.new_object(made);
        } else if (!on.empty()) {
          target = applier.latest(on);
        } else if (subject) {
          target = *subject;
        } else {
          throw std::runtime_error("api_model.json: an effect of " + call.path + " has no object");
        }
        if (const json::value* fields = effect.if_contains("set"))
          applier.set(target, fields->as_object());
        const std::string event = model_string_field(effect, "event");
        if (!event.empty()) {
          const json::value* previous = effect.if_contains("previous");
          applier.emit(event, target, previous != nullptr && *previous == true);
        }
      }
    }
  } else if (match.action == "create") {
    event_if_known(match.events + ".created", false);
  } else if (match.action == "update") {
    event_if_known(match.events + ".updated", true);
  } else if (match.action == "delete") {
    event_if_known(match.events + ".deleted", false);
  } else if (match.action == "act") {
    const json::object& verb = verbs_.at(match.verb).as_object();
    if (const json::value* fields = verb.if_contains("set"))
      applier.set(*subject, fields->as_object());
    event_if_known(match.events + "." + model_string_field(verb, "event"), true);
  }

  ModeledAnswer answer;
  if (match.action == "list") {
    json::array data;
    const auto kind_of = [&](const json::object& object) {
      return model_string_field(object, "object");
    };
    for (const json::object& object : world.objects) {
      if (kind_of(object) == match.kind) data.push_back(object);
    }
    answer.object = json::object{
        {"object", "list"}, {"data", std::move(data)}, {"has_more", false}, {"url", call.path}};
  } else if (match.action == "delete") {
    const json::object& object = applier.object(*subject);
    answer.object =
        json::object{{"id", object.at("id")}, {"object", object.at("object")}, {"deleted", true}};
  } else {
    answer.object = applier.object(*subject);
  }
  answer.events = std::move(applier.events);
  return answer;
}

std::vector<std::string> ApiModel::event_types() const {
  std::set<std::string> types;
  for (const json::value& item : calls_) {
    if (const json::value* effects = item.as_object().if_contains("do")) {
      for (const json::value& effect : effects->as_array()) {
        const std::string event = model_string_field(effect.as_object(), "event");
        if (!event.empty()) types.insert(event);
      }
    }
  }
  for (const json::value& resource : resources_) {
    const std::string prefix = model_string_field(resource.as_object(), "events");
    std::vector<std::string> suffixes = {"created", "updated", "deleted"};
    for (const auto& [verb, spec] : verbs_)
      suffixes.push_back(model_string_field(spec.as_object(), "event"));
    for (const std::string& suffix : suffixes) {
      if (catalog::is_known_event_type(prefix + "." + suffix)) types.insert(prefix + "." + suffix);
    }
  }
  return {types.begin(), types.end()};
}

}  // namespace hookline::cli
