#include "cli/payload_edit.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <optional>

#include "core/exact_json.hpp"

namespace hookline::cli {

namespace json = boost::json;

std::vector<std::string> parse_path(std::string_view path) {
  std::vector<std::string> segments;
  std::string current;
  bool after_bracket = false;  // "a[0].b": the '.' after ']' starts no empty segment
  auto fail = [&](const std::string& why) -> void {
    throw PayloadEditError("Invalid path \"" + std::string(path) + "\": " + why + ".");
  };
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '.') {
      if (current.empty() && !after_bracket) fail("empty field name");
      if (!current.empty()) segments.push_back(std::move(current));
      current.clear();
      after_bracket = false;
    } else if (c == '[') {
      if (!current.empty()) segments.push_back(std::move(current));
      current.clear();
      if (segments.empty()) fail("a path starts with a field name");
      const auto close = path.find(']', i);
      if (close == std::string_view::npos) fail("unclosed '['");
      const std::string_view inside = path.substr(i + 1, close - i - 1);
      if (inside.empty()) fail("empty brackets");
      segments.emplace_back(inside);
      i = close;
      after_bracket = true;
    } else {
      if (after_bracket) fail("expected '.' or '[' after ']'");
      current += c;
    }
  }
  if (!current.empty()) {
    segments.push_back(std::move(current));
  } else if (!after_bracket) {
    fail("empty field name");
  }
  return segments;
}

json::value parse_typed_value(std::string_view text) {
  ExactJson parsed = parse_exact_json(text);
  if (parsed.inexact_number) {
    throw PayloadEditError(
        "The value " + std::string(text) + " holds a number that cannot be sent exactly (" +
        *parsed.inexact_number + (parsed.inexact_at.empty() ? "" : " at " + parsed.inexact_at) +
        "): integers must lie between -9223372036854775808 and 18446744073709551615, other "
        "numbers must fit a double as written. Quote it as a JSON string to send it as text.");
  }
  if (!parsed.error) return std::move(parsed.value);
  return json::string(text);
}

PayloadEdit parse_payload_edit(PayloadEdit::Kind kind, std::string_view text) {
  const bool removing = kind == PayloadEdit::Kind::kRemove;
  const char* form = removing ? "<fixture>:<path>, e.g. payment_intent:metadata"
                              : "<fixture>:<path>=<value>, e.g. payment_intent:amount=3000";
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    throw PayloadEditError("\"" + std::string(text) + "\" is not of the form " + form + ".");
  }
  PayloadEdit edit;
  edit.kind = kind;
  edit.fixture = std::string(text.substr(0, colon));
  std::string_view rest = text.substr(colon + 1);
  if (!removing) {
    const auto equals = rest.find('=');
    if (equals == std::string_view::npos) {
      throw PayloadEditError("\"" + std::string(text) + "\" is not of the form " + form + ".");
    }
    edit.value_text = std::string(rest.substr(equals + 1));
    edit.value = parse_typed_value(edit.value_text);
    rest = rest.substr(0, equals);
  }
  edit.path_text = std::string(rest);
  edit.path = parse_path(rest);
  return edit;
}

namespace {

std::optional<std::size_t> parse_index(const std::string& segment) {
  std::size_t index = 0;
  const char* end = segment.data() + segment.size();
  auto [ptr, ec] = std::from_chars(segment.data(), end, index);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return index;
}

[[noreturn]] void fail(const PayloadEdit& edit, const std::string& why) {
  throw PayloadEditError(edit.fixture + ":" + edit.path_text + ": " + why);
}

const char* type_name(const json::value& value) {
  switch (value.kind()) {
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
    case json::kind::null:
      return "null";
  }
  return "a value";
}

}  // namespace

json::value typed_edit_value(const PayloadEdit& edit, const json::value* existing) {
  const json::value& parsed = edit.value;
  // What the user wrote, as text: "6735" for 6735, abc for abc, x for "x".
  const json::string text = parsed.is_string() ? parsed.as_string() : json::string(edit.value_text);
  const bool in_metadata =
      std::find(edit.path.begin(), edit.path.end() - 1, "metadata") != edit.path.end() - 1;
  if (in_metadata && !parsed.is_object() && !parsed.is_array()) return text;
  if (existing == nullptr || existing->is_null() || existing->is_object() || existing->is_array()) {
    return parsed;
  }
  if (existing->is_string()) return text;
  if (existing->is_number() != parsed.is_number() || existing->is_bool() != parsed.is_bool()) {
    fail(edit, edit.path.back() + " is " + type_name(*existing) + " in the fixture (" +
                   json::serialize(*existing) + "); " + edit.value_text + " is not " +
                   type_name(*existing) + ".");
  }
  return parsed;
}

json::value apply_payload_edit(json::value& object, const PayloadEdit& edit) {
  const bool adding = edit.kind == PayloadEdit::Kind::kAdd;
  json::value* current = &object;
  for (std::size_t i = 0; i < edit.path.size(); ++i) {
    const std::string& segment = edit.path[i];
    const bool last = i + 1 == edit.path.size();
    std::string so_far = edit.path[0];
    for (std::size_t j = 1; j <= i; ++j) so_far += "." + edit.path[j];

    if (current->is_array()) {
      json::array& array = current->as_array();
      const auto index = parse_index(segment);
      if (!index) fail(edit, "\"" + segment + "\" is not an array index.");
      if (last && adding && *index == array.size()) {
        array.push_back(typed_edit_value(edit, nullptr));
        return array.back();
      }
      if (*index >= array.size()) {
        fail(edit, so_far + " is out of range (the array has " + std::to_string(array.size()) +
                       " elements).");
      }
      if (!last) {
        current = &array[*index];
        continue;
      }
      if (edit.kind == PayloadEdit::Kind::kRemove) {
        array.erase(array.begin() + static_cast<std::ptrdiff_t>(*index));
        return nullptr;
      }
      array[*index] = typed_edit_value(edit, &array[*index]);
      return array[*index];
    }
    if (!current->is_object()) {
      fail(edit, "the field before \"" + segment + "\" is not an object.");
    }
    json::object& fields = current->as_object();
    json::value* found = fields.if_contains(segment);
    if (!last) {
      if (found == nullptr || (adding && found->is_null())) {
        if (!adding) fail(edit, so_far + " does not exist in the fixture (--add creates fields).");
        found = &(fields[segment] = json::object());
      }
      current = found;
      continue;
    }
    switch (edit.kind) {
      case PayloadEdit::Kind::kAdd: {
        json::value value = typed_edit_value(edit, found);
        return fields[segment] = std::move(value);
      }
      case PayloadEdit::Kind::kOverride:
        if (found == nullptr) {
          fail(edit, so_far + " does not exist in the fixture (use --add to add a field).");
        }
        *found = typed_edit_value(edit, found);
        return *found;
      case PayloadEdit::Kind::kRemove:
        if (found == nullptr) fail(edit, so_far + " does not exist in the fixture.");
        fields.erase(segment);
        return nullptr;
    }
  }
  return nullptr;
}

}  // namespace hookline::cli
