#pragma once
// Edits of a trigger's payload: the Stripe CLI's `--override`, `--add` and
// `--remove` flags, "<fixture>:<path>=<value>" (or "<fixture>:<path>" to remove).
//
// A path names a field inside the fixture's object: keys separated by '.', with
// array indexes and keys also accepted in brackets: "amount",
// "shipping.address.city", "items.data[0].price.unit_amount", "metadata[order]".
// A value gets the type of the field it replaces (typed_edit_value): a number
// field takes only numbers, a boolean only true/false, a string field keeps the
// text as written, and metadata values are always strings (Stripe's are). A
// new field is typed the way JSON reads it: 3000 and 12.5 are numbers,
// true/false booleans, null null, {…} and […] objects and arrays, "…" a string;
// anything that is not valid JSON is taken as a plain string (acct_123, 007).
// Numbers are kept exactly (core/exact_json.hpp), or refused.
#include <boost/json/value.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hookline::cli {

// Bad edit syntax or an edit that does not fit the payload; what() is a
// complete sentence for the user.
class PayloadEditError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PayloadEdit {
  enum class Kind { kOverride, kAdd, kRemove };
  Kind kind = Kind::kOverride;
  std::string fixture;            // the fixture the path belongs to, e.g. "payment_intent"
  std::string path_text;          // as written, for messages
  std::vector<std::string> path;  // segments; array indexes are decimal strings
  boost::json::value value;       // kOverride and kAdd only: parse_typed_value(value_text)
  std::string value_text;         // the value as written
};

// "a.b[0][c]" -> {"a", "b", "0", "c"}. Throws PayloadEditError on an empty
// segment or an unclosed bracket.
std::vector<std::string> parse_path(std::string_view path);

// JSON if `text` is valid JSON, else the string itself. Throws
// PayloadEditError for JSON holding a number that would not be sent as written
// (1e999, an integer beyond uint64, more digits than a double keeps).
boost::json::value parse_typed_value(std::string_view text);

// Parses one flag value. Throws PayloadEditError with an example of the right form.
PayloadEdit parse_payload_edit(PayloadEdit::Kind kind, std::string_view text);

// The value `edit` stores where `existing` is (nullptr: a new field), typed
// as the header says. Throws PayloadEditError naming the field when the value
// does not fit the field's type (--override payment_intent:amount=abc).
boost::json::value typed_edit_value(const PayloadEdit& edit, const boost::json::value* existing);

// Applies `edit` to `object` (the fixture's object) and returns the value stored
// (kOverride and kAdd; null for kRemove):
//   kOverride: the field must exist; its value is replaced.
//   kAdd: sets the field, creating missing intermediate objects; an array
//         index equal to the array's size appends.
//   kRemove: the field must exist; it is removed (an array element is erased).
// Throws PayloadEditError naming the path when it does not fit.
boost::json::value apply_payload_edit(boost::json::value& object, const PayloadEdit& edit);

}  // namespace hookline::cli
