#include "cli/api_model.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <optional>
#include <set>
#include <stdexcept>

#include "catalog/event_types.hpp"
#include "cli/embedded_fixtures.hpp"
#include "cli/fixture.hpp"
#include "cli/fixture_file.hpp"
#include "cli/fixture_query.hpp"
#include "cli/payload_edit.hpp"
#include "core/ids.hpp"

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
int match_prefix(std::string_view pattern, const std::vector<std::string_view>& path, Captures& captures) {
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

std::string text_of(const json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : json::serialize(value);
}

std::string string_field(const json::object& object, std::string_view key) {
  const json::value* v = object.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

// A parameter's value given the type of the field it lands in: "1500" into a
// number field is 1500, "true" into a boolean true, metadata values are text.
json::value coerce(const json::value* existing, const json::value& param) {
  if (existing == nullptr || existing->is_null()) return param;
  if (existing->is_number() && param.is_string()) {
    const json::string& text = param.as_string();
    int64_t integer = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), integer);
    if (ec == std::errc() && ptr == text.data() + text.size()) return integer;
    return param;
  }
  if (existing->is_bool() && param.is_string()) {
    if (param.as_string() == "true") return true;
    if (param.as_string() == "false") return false;
    return param;
  }
  if (existing->is_string() && (param.is_number() || param.is_bool())) return json::string(text_of(param));
  if (existing->is_object() && param.is_object()) {
    json::object merged = existing->as_object();
    for (const auto& field : param.as_object()) {
      merged[field.key()] = coerce(merged.if_contains(field.key()), field.value());
    }
    return merged;
  }
  return param;
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
    if (text == nullptr) throw std::runtime_error("fixtures/model/api_model.json is not compiled in");
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
    const std::string from = string_field(spec.as_object(), "template");
    if (!from.empty() && find_fixture(from) == nullptr) {
      throw std::runtime_error("api_model.json: the template of " + std::string(kind) + ", " + from +
                               ", is not a fixture");
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
      const std::string text = text_of(value);
      if (text == text_of(want)) return true;
      const auto origin = world->origin.find(text);
      return origin != world->origin.end() && origin->second == text_of(want);
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
    match.kind = string_field(row, "object");
    if (resource != nullptr) {
      if (match.kind.empty()) match.kind = string_field(*resource, "object");
      match.events = string_field(*resource, "events");
    }
    if (match.kind.empty()) return false;
    return true;
  }
  if (resource == nullptr) return false;
  match.kind = string_field(*resource, "object");
  match.events = string_field(*resource, "events");
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


namespace {

// One call being applied to the world: makes and changes objects, resolves the
// table's ${…} values, records the events.
class Applier {
 public:
  Applier(const json::object& objects, ModelWorld& world, const ModeledCall& call, std::string account)
      : objects_(objects), world_(world), call_(call), account_(std::move(account)) {}

  std::vector<ModeledEvent> events;

  json::object& object(std::size_t index) { return world_.objects[index]; }
  bool has(const std::string& kind) const { return world_.latest.contains(kind); }

  std::size_t latest(const std::string& kind) const {
    const auto found = world_.latest.find(kind);
    if (found == world_.latest.end()) {
      throw FixtureFileError(call_.method + " " + call_.path + " needs a " + kind +
                             ", which no earlier step made.");
    }
    return found->second;
  }

  // A new object of `kind` from its template; the latest of its kind.
  std::size_t new_object(const std::string& kind) {
    const json::value* spec_value = objects_.if_contains(kind);
    json::object spec = spec_value != nullptr ? spec_value->as_object() : json::object();
    json::object made;
    const std::string from = string_field(spec, "template");
    if (!from.empty()) {
      made = render_fixture(*find_fixture(from), FixtureContext{world_.now, account_}).at("object").as_object();
    } else {
      if (const json::value* fields = spec.if_contains("fields")) made = fields->as_object();
      const std::string prefix = string_field(spec, "prefix");
      made["id"] = new_id(prefix.empty() ? "obj" : prefix);
      if (!made.contains("object")) made["object"] = kind;
      made["created"] = world_.now;
      made["livemode"] = false;
    }
    const std::size_t index = world_.objects.size();
    world_.objects.push_back(std::move(made));
    index_object(kind, index);
    // Resolved once registered, so that the object may name itself.
    json::value resolved = resolve(world_.objects[index]);
    world_.objects[index] = std::move(resolved.as_object());
    if (const json::value* fields = spec.if_contains("set")) set(index, fields->as_object());
    world_.previous.erase(index);
    return index;
  }

  // The object `id` names; a new one of `kind` when this run has none (a test
  // token such as pm_card_visa, or an object made elsewhere).
  std::size_t find_or_new(const std::string& kind, const std::string& id) {
    if (const auto found = world_.by_id.find(id); found != world_.by_id.end()) return found->second;
    const std::size_t index = new_object(kind);
    const json::value* spec = objects_.if_contains(kind);
    if (spec != nullptr && spec->as_object().contains("id_from_path")) {
      world_.by_id.erase(std::string(object(index).at("id").as_string()));
      object(index)["id"] = id;
      world_.by_id[id] = index;
    } else {
      world_.origin[std::string(object(index).at("id").as_string())] = id;
    }
    return index;
  }

  // Sets `fields` ("a.b[0].c": value) on the object, remembering the values
  // it replaces as its previous_attributes.
  void set(std::size_t index, const json::object& fields) {
    json::object previous;
    for (const auto& [key, raw] : fields) {
      const std::vector<std::string> path = parse_path(key);
      json::value value = resolve(raw);
      json::object& target = object(index);
      if (!previous.contains(path[0])) {
        const json::value* old = target.if_contains(path[0]);
        previous[path[0]] = old != nullptr ? *old : json::value(nullptr);
      }
      json::value* current = &target[path[0]];
      for (std::size_t i = 1; i < path.size(); ++i) {
        if (current->is_array()) {
          std::size_t element = 0;
          std::from_chars(path[i].data(), path[i].data() + path[i].size(), element);
          json::array& array = current->as_array();
          if (element >= array.size()) array.resize(element + 1);
          current = &array[element];
        } else {
          if (!current->is_object()) *current = json::object();
          current = &current->as_object()[path[i]];
        }
      }
      *current = std::move(value);
    }
    for (auto it = previous.begin(); it != previous.end();) {
      const json::value* now = object(index).if_contains(it->key());
      it = (now != nullptr && *now == it->value()) ? previous.erase(it) : std::next(it);
    }
    world_.previous[index] = std::move(previous);
  }

  // Merges the call's params into the object: only fields the object has
  // (and metadata), typed as the field is.
  void merge_params(std::size_t index) {
    json::object& target = object(index);
    json::object previous;
    for (const auto& [key, param] : call_.params) {
      json::value* field = target.if_contains(key);
      if (key == "metadata" && param.is_object()) {
        json::object metadata = field != nullptr && field->is_object() ? field->as_object() : json::object();
        for (const auto& entry : param.as_object()) metadata[entry.key()] = json::string(text_of(entry.value()));
        if (field == nullptr || *field != metadata) {
          previous[key] = field != nullptr ? *field : json::value(nullptr);
          target[key] = std::move(metadata);
        }
        continue;
      }
      if (field == nullptr || key == "id" || key == "object") continue;
      json::value value = coerce(field, param);
      if (value.kind() != field->kind() && !field->is_null() &&
          !(value.is_number() && field->is_number())) {
        continue;  // an items array where the object has a list, …: not a field to copy
      }
      if (*field != value) {
        previous[key] = *field;
        *field = std::move(value);
      }
    }
    world_.previous[index] = std::move(previous);
  }

  void emit(const std::string& type, std::size_t index, bool with_previous) {
    ModeledEvent event;
    event.type = type;
    event.account = account_;
    event.data["object"] = object(index);
    if (with_previous) {
      const auto previous = world_.previous.find(index);
      if (previous != world_.previous.end() && !previous->second.empty()) {
        event.data["previous_attributes"] = previous->second;
      }
    }
    events.push_back(std::move(event));
  }

  json::value resolve(const json::value& value) {
    if (value.is_array()) {
      json::array out;
      for (const json::value& element : value.as_array()) out.push_back(resolve(element));
      return out;
    }
    if (value.is_object()) {
      json::object out;
      for (const auto& field : value.as_object()) out[field.key()] = resolve(field.value());
      return out;
    }
    if (!value.is_string()) return value;
    const std::string text(value.as_string());
    const auto start = text.find("${");
    if (start == std::string::npos) return value;
    const auto end = text.find('}', start);
    if (start == 0 && end == text.size() - 1) return placeholder(text.substr(2, end - 2));
    std::string out;
    std::size_t pos = 0;
    for (;;) {
      const auto open = text.find("${", pos);
      const auto close = open == std::string::npos ? open : text.find('}', open);
      if (close == std::string::npos) break;
      out.append(text, pos, open - pos);
      const json::value inner = placeholder(text.substr(open + 2, close - open - 2));
      out += inner.is_null() ? "" : text_of(inner);
      pos = close + 1;
    }
    out.append(text, pos, std::string::npos);
    return json::string(out);
  }

 private:
  void index_object(const std::string& kind, std::size_t index) {
    const json::value* id = world_.objects[index].if_contains("id");
    if (id != nullptr && id->is_string()) world_.by_id[std::string(id->as_string())] = index;
    world_.latest[kind] = index;
  }

  json::value placeholder(const std::string& name) {
    if (name == "now") return world_.now;
    if (name.starts_with("now+")) {
      int64_t offset = 0;
      std::from_chars(name.data() + 4, name.data() + name.size(), offset);
      return world_.now + offset;
    }
    if (name == "account") return account_.empty() ? json::value(nullptr) : json::value(account_);
    if (name.starts_with("id:")) {
      auto [it, inserted] = ids_.try_emplace(name.substr(3));
      if (inserted) it->second = new_id(it->first);
      return json::string(it->second);
    }
    if (name.starts_with("param:")) {
      const json::value params = call_.params;
      const json::value* found = find_answer_field(params, name.substr(6));
      return found != nullptr ? *found : json::value(nullptr);
    }
    if (name.starts_with("ref:")) {
      const std::string rest = name.substr(4);
      const auto colon = rest.find(':');
      const std::string kind = rest.substr(0, colon);
      const auto found = world_.latest.find(kind);
      if (found == world_.latest.end()) return nullptr;
      const json::value object = world_.objects[found->second];
      if (colon == std::string::npos) return object;
      const json::value* field = find_answer_field(object, rest.substr(colon + 1));
      return field != nullptr ? *field : json::value(nullptr);
    }
    if (name == "line_items_total") return line_items_total();
    throw std::runtime_error("api_model.json: unknown placeholder ${" + name + "}");
  }

  // Σ quantity × unit_amount of the call's line_items (Checkout).
  json::value line_items_total() {
    const json::value* items = call_.params.if_contains("line_items");
    if (items == nullptr || !items->is_array()) return nullptr;
    int64_t total = 0;
    for (const json::value& item : items->as_array()) {
      if (!item.is_object()) continue;
      const json::value* price_id = item.as_object().if_contains("price");
      const json::value* quantity = item.as_object().if_contains("quantity");
      if (price_id == nullptr || !price_id->is_string()) continue;
      const auto price = world_.by_id.find(std::string(price_id->as_string()));
      if (price == world_.by_id.end()) continue;
      const json::value* unit = world_.objects[price->second].if_contains("unit_amount");
      const json::value zero = 0;
      const json::value count_value = quantity != nullptr ? coerce(&zero, *quantity) : json::value(1);
      const int64_t count = count_value.is_number() ? count_value.to_number<int64_t>() : 1;
      if (unit != nullptr && unit->is_number()) total += unit->to_number<int64_t>() * count;
    }
    return total;
  }

  const json::object& objects_;
  ModelWorld& world_;
  const ModeledCall& call_;
  std::string account_;
  std::map<std::string, std::string> ids_;
};

}  // namespace

ModeledAnswer ApiModel::apply(ModelWorld& world, const ModeledCall& call) const {
  Match match;
  if (!find_row(&world, call, match)) {
    throw FixtureFileError("hookline cannot model " + call.method + " " + call.path +
                           " (hookline has no payments API; it models the calls of the Stripe "
                           "CLI's trigger fixtures: see README, Fixture files).");
  }
  const auto account = match.captures.find("account");
  Applier applier(objects_, world, call, account != match.captures.end() ? account->second : call.account);
  const auto id = match.captures.find("id");
  std::optional<std::size_t> subject;
  if (match.action == "create") {
    subject = applier.new_object(match.kind);
    applier.merge_params(*subject);
  } else if (match.action != "list") {
    if (id == match.captures.end()) throw FixtureFileError(call.path + ": no object id in the path.");
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
        const std::string condition = string_field(effect, "if");
        if (!condition.empty() && !applier.has(condition)) continue;
        const std::string made = string_field(effect, "new");
        const std::string on = string_field(effect, "on");
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
        if (const json::value* fields = effect.if_contains("set")) applier.set(target, fields->as_object());
        const std::string event = string_field(effect, "event");
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
    if (const json::value* fields = verb.if_contains("set")) applier.set(*subject, fields->as_object());
    event_if_known(match.events + "." + string_field(verb, "event"), true);
  }

  ModeledAnswer answer;
  if (match.action == "list") {
    json::array data;
    const auto kind_of = [&](const json::object& object) { return string_field(object, "object"); };
    for (const json::object& object : world.objects) {
      if (kind_of(object) == match.kind) data.push_back(object);
    }
    answer.object = json::object{{"object", "list"}, {"data", std::move(data)}, {"has_more", false},
                                 {"url", call.path}};
  } else if (match.action == "delete") {
    const json::object& object = applier.object(*subject);
    answer.object = json::object{{"id", object.at("id")}, {"object", object.at("object")}, {"deleted", true}};
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
        const std::string event = string_field(effect.as_object(), "event");
        if (!event.empty()) types.insert(event);
      }
    }
  }
  for (const json::value& resource : resources_) {
    const std::string prefix = string_field(resource.as_object(), "events");
    std::vector<std::string> suffixes = {"created", "updated", "deleted"};
    for (const auto& [verb, spec] : verbs_) suffixes.push_back(string_field(spec.as_object(), "event"));
    for (const std::string& suffix : suffixes) {
      if (catalog::is_known_event_type(prefix + "." + suffix)) types.insert(prefix + "." + suffix);
    }
  }
  return {types.begin(), types.end()};
}

}  // namespace hookline::cli
