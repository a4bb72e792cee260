#pragma once
// Reading a call's decoded parameters strictly, Stripe's way: every parameter a
// resource reads is marked as read, and reject_unknown() names the first one
// that no resource knows ("Received unknown parameter: foo"). Form values are
// strings; integers and booleans are parsed from them strictly. A JSON body
// (POST /v1/events) may hold typed values, which are accepted as well.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace hookline::api {

class Params {
 public:
  // `prefix`: the full name of this object in error messages ("created" for
  // the reader of created[gt]…); empty at the top level.
  explicit Params(const boost::json::object& object, std::string prefix = {});

  // The full name of parameter `name`: "limit" or "created[gt]".
  std::string full_name(std::string_view name) const;
  bool has(std::string_view name) const;
  // Marks `name` as known without reading it (e.g. `expand`, accepted and ignored).
  void ignore(std::string_view name);

  // nullopt if absent; throws ApiError (400, param named) if of the wrong kind.
  std::optional<std::string> string(std::string_view name);
  std::string required_string(std::string_view name);
  std::optional<int64_t> integer(std::string_view name);
  std::optional<int64_t> integer_in(std::string_view name, int64_t min, int64_t max);
  std::optional<bool> boolean(std::string_view name);
  // An array (enabled_events[]=a) or an object with index keys (enabled_events[0]=a,
  // as stripe-node sends it), in index order; every element a string.
  std::optional<std::vector<std::string>> string_list(std::string_view name);
  // A nested object (metadata[key]=…), or nullptr if absent; throws if not an object.
  const boost::json::object* object(std::string_view name);
  // The raw value, or nullptr if absent.
  const boost::json::value* raw(std::string_view name);

  // Throws ApiError::unknown_parameter for the first parameter not read or ignored.
  void reject_unknown() const;

 private:
  const boost::json::object& object_;
  std::string prefix_;
  std::set<std::string, std::less<>> read_;
};

// Strict parsing of a form value, for callers with a string in hand; `param`
// names it in the error. Every boolean parameter goes through parse_boolean:
// true/false, True/False or a JSON boolean.
int64_t parse_integer(const boost::json::value& value, const std::string& param);
bool parse_boolean(const boost::json::value& value, const std::string& param);

}  // namespace hookline::api
