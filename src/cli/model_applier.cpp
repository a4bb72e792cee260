#include "cli/model_applier.hpp"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <optional>

#include "cli/fixture.hpp"
#include "cli/fixture_file.hpp"
#include "cli/fixture_query.hpp"
#include "cli/payload_edit.hpp"
#include "core/ids.hpp"

namespace hookline::cli {

namespace json = boost::json;

std::string model_text(const json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : json::serialize(value);
}

std::string model_string_field(const json::object& object, std::string_view key) {
  const json::value* v = object.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

// A parameter's value given the type of the field it lands in: "1500" into a
// number field is 1500, "true" into a boolean true, metadata values are text.
json::value model_coerce(const json::value* existing, const json::value& param) {
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
  if (existing->is_string() && (param.is_number() || param.is_bool()))
    return json::string(model_text(param));
  if (existing->is_object() && param.is_object()) {
    json::object merged = existing->as_object();
    for (const auto& field : param.as_object()) {
      merged[field.key()] = model_coerce(merged.if_contains(field.key()), field.value());
    }
    return merged;
  }
  return param;
}

ModelApplier::ModelApplier(const json::object& objects, ModelWorld& world, const ModeledCall& call,
                           std::string account)
    : objects_(objects), world_(world), call_(call), account_(std::move(account)) {}

json::object& ModelApplier::object(std::size_t index) { return world_.objects[index]; }
bool ModelApplier::has(const std::string& kind) const { return world_.latest.contains(kind); }

std::size_t ModelApplier::latest(const std::string& kind) const {
  const auto found = world_.latest.find(kind);
  if (found == world_.latest.end()) {
    throw FixtureFileError(call_.method + " " + call_.path + " needs a " + kind +
                           ", which no earlier step made.");
  }
  return found->second;
}

// A new object of `kind` from its template; the latest of its kind.
std::size_t ModelApplier::new_object(const std::string& kind) {
  const json::value* spec_value = objects_.if_contains(kind);
  json::object spec = spec_value != nullptr ? spec_value->as_object() : json::object();
  json::object made;
  const std::string from = model_string_field(spec, "template");
  if (!from.empty()) {
    made = render_fixture(*find_fixture(from), FixtureContext{world_.now, account_})
               .at("object")
               .as_object();
  } else {
    if (const json::value* fields = spec.if_contains("fields")) made = fields->as_object();
    const std::string prefix = model_string_field(spec, "prefix");
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
std::size_t ModelApplier::find_or_new(const std::string& kind, const std::string& id) {
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
void ModelApplier::set(std::size_t index, const json::object& fields) {
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
void ModelApplier::merge_params(std::size_t index) {
  json::object& target = object(index);
  json::object previous;
  for (const auto& [key, param] : call_.params) {
    json::value* field = target.if_contains(key);
    if (key == "metadata" && param.is_object()) {
      json::object metadata =
          field != nullptr && field->is_object() ? field->as_object() : json::object();
      for (const auto& entry : param.as_object())
        metadata[entry.key()] = json::string(model_text(entry.value()));
      if (field == nullptr || *field != metadata) {
        previous[key] = field != nullptr ? *field : json::value(nullptr);
        target[key] = std::move(metadata);
      }
      continue;
    }
    if (field == nullptr || key == "id" || key == "object") continue;
    json::value value = model_coerce(field, param);
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

void ModelApplier::emit(const std::string& type, std::size_t index, bool with_previous) {
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

json::value ModelApplier::resolve(const json::value& value) {
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
    out += inner.is_null() ? "" : model_text(inner);
    pos = close + 1;
  }
  out.append(text, pos, std::string::npos);
  return json::string(out);
}

void ModelApplier::index_object(const std::string& kind, std::size_t index) {
  const json::value* id = world_.objects[index].if_contains("id");
  if (id != nullptr && id->is_string()) world_.by_id[std::string(id->as_string())] = index;
  world_.latest[kind] = index;
}

json::value ModelApplier::placeholder(const std::string& name) {
  if (const auto minus = name.find(" - "); minus != std::string::npos) {
    const auto operand = [&](const std::string& text) -> std::optional<int64_t> {
      int64_t number = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
      if (error == std::errc() && end == text.data() + text.size()) return number;
      const json::value value = placeholder(text);
      if (value.is_int64()) return value.as_int64();
      if (value.is_uint64()) return static_cast<int64_t>(value.as_uint64());
      return std::nullopt;
    };
    const auto left = operand(name.substr(0, minus));
    const auto right = operand(name.substr(minus + 3));
    if (!left || !right) return nullptr;
    return *left - *right;
  }
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
json::value ModelApplier::line_items_total() {
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
    const json::value count_value =
        quantity != nullptr ? model_coerce(&zero, *quantity) : json::value(1);
    const int64_t count = count_value.is_number() ? count_value.to_number<int64_t>() : 1;
    if (unit != nullptr && unit->is_number()) total += unit->to_number<int64_t>() * count;
  }
  return total;
}

}  // namespace hookline::cli
