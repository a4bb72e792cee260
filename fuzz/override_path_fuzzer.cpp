// The CLI's payload edits (`trigger --override/--add/--remove`,
// "<fixture>:<path>[=<value>]"). The first byte picks the flag. Properties:
// parsing and applying throw nothing but PayloadEditError; a parsed path has
// no empty segment; after an override or add the path leads to the value
// given, after removing a field of an object the field is gone.
#include <boost/json.hpp>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "cli/payload_edit.hpp"

namespace json = boost::json;
using hookline::cli::PayloadEdit;
using hookline::cli::PayloadEditError;

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz property violated: %s\n", what);
  std::abort();
}

// A fixture's object, as trigger edits it: objects, arrays, nulls, numbers.
const json::value& fixture() {
  static const json::value object = json::parse(R"({
    "id": "pi_3MtwBwLkdIwHu7ix28a3tqPa", "object": "payment_intent", "amount": 2000,
    "amount_details": {"tip": {}}, "automatic_payment_methods": {"enabled": true},
    "canceled_at": null, "currency": "usd", "customer": null, "livemode": false,
    "metadata": {"order_id": "6735"}, "payment_method_types": ["card", "link"],
    "charges": {"object": "list", "data": [{"id": "ch_1", "amount": 2000,
      "billing_details": {"address": {"city": null, "country": "US"}}}], "has_more": false},
    "shipping": {"address": {"city": "Berlin", "line1": "Unter den Linden 1"}, "name": "Jenny"}
  })");
  return object;
}

// Where `path` leads in `value`, or nullptr.
const json::value* find(const json::value& value, const std::vector<std::string>& path) {
  const json::value* current = &value;
  for (const std::string& segment : path) {
    if (current->is_object()) {
      current = current->as_object().if_contains(segment);
    } else if (current->is_array()) {
      const auto& array = current->as_array();
      std::size_t index = 0;  // decimal, leading zeros allowed ("007"), as trigger reads it
      const char* end = segment.data() + segment.size();
      const auto [ptr, ec] = std::from_chars(segment.data(), end, index);
      if (ec != std::errc() || ptr != end) return nullptr;
      current = index < array.size() ? &array[index] : nullptr;
    } else {
      return nullptr;
    }
    if (current == nullptr) return nullptr;
  }
  return current;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto kind = static_cast<PayloadEdit::Kind>(data[0] % 3);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  std::optional<PayloadEdit> edit;
  try {
    edit = hookline::cli::parse_payload_edit(kind, text);
  } catch (const PayloadEditError& error) {
    if (std::string_view(error.what()).empty()) fail("an error without a message");
    return 0;
  }
  if (edit->path.empty() || edit->fixture.empty()) fail("empty path or fixture");
  for (const std::string& segment : edit->path) {
    if (segment.empty()) fail("an empty segment");
  }
  json::value object = fixture();
  json::value stored;
  try {
    stored = hookline::cli::apply_payload_edit(object, *edit);
  } catch (const PayloadEditError&) {
    if (object != fixture() && kind != PayloadEdit::Kind::kAdd)
      fail("a failed edit changed the payload");
    return 0;
  }
  if (kind == PayloadEdit::Kind::kRemove) {
    std::vector<std::string> parent(edit->path.begin(), edit->path.end() - 1);
    const json::value* container = parent.empty() ? &object : find(object, parent);
    if (container == nullptr) fail("removing lost the field's parent");
    if (container->is_object() && container->as_object().contains(edit->path.back())) {
      fail("a removed field is still there");
    }
    return 0;
  }
  const json::value* found = find(object, edit->path);
  if (found == nullptr || *found != stored) fail("the path does not lead to the value set");
  return 0;
}
