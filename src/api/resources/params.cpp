#include "api/resources/params.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <charconv>

#include "api/api_error.hpp"

namespace hookline::api {

namespace json = boost::json;

namespace {

std::string shown(const json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : json::serialize(value);
}

// "12" -> 12; nullopt for "", "+1", " 1", "1.0", "0x1" or anything out of range.
std::optional<int64_t> strict_integer(std::string_view text) {
  int64_t result = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, result);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return result;
}

// Index keys of a form-encoded array: "0", "1", … (no sign, no leading zero).
std::optional<std::size_t> array_index(std::string_view key) {
  if (key.empty() || (key.size() > 1 && key.front() == '0')) return std::nullopt;
  if (!std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  auto value = strict_integer(key);
  if (!value) return std::nullopt;
  return static_cast<std::size_t>(*value);
}

}  // namespace

int64_t parse_integer(const json::value& value, const std::string& param) {
  if (value.is_int64()) return value.as_int64();
  if (value.is_uint64() && value.as_uint64() <= INT64_MAX) {
    return static_cast<int64_t>(value.as_uint64());
  }
  if (value.is_string()) {
    if (auto parsed = strict_integer(value.as_string())) return *parsed;
  }
  throw ApiError::invalid_request("Invalid integer: " + shown(value), param,
                                  "parameter_invalid_integer");
}

bool parse_boolean(const json::value& value, const std::string& param) {
  if (value.is_bool()) return value.as_bool();
  if (value.is_string()) {
    // Stripe takes "True"/"False" too: clients that stringify a language's
    // boolean (Python's str(True)) send them.
    const std::string_view text = value.as_string();
    if (text == "true" || text == "True") return true;
    if (text == "false" || text == "False") return false;
  }
  throw ApiError::invalid_request("Invalid boolean: " + shown(value), param);
}

Params::Params(const json::object& object, std::string prefix)
    : object_(object), prefix_(std::move(prefix)) {}

std::string Params::full_name(std::string_view name) const {
  if (prefix_.empty()) return std::string(name);
  return fmt::format("{}[{}]", prefix_, name);
}

bool Params::has(std::string_view name) const { return object_.contains(name); }

void Params::ignore(std::string_view name) { read_.emplace(name); }

const json::value* Params::raw(std::string_view name) {
  read_.emplace(name);
  return object_.if_contains(name);
}

std::optional<std::string> Params::string(std::string_view name) {
  const json::value* value = raw(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    throw ApiError::invalid_request(fmt::format("Invalid string: {}", shown(*value)),
                                    full_name(name));
  }
  return std::string(value->as_string());
}

std::string Params::required_string(std::string_view name) {
  std::optional<std::string> value = string(name);
  if (!value || value->empty()) throw ApiError::missing_parameter(full_name(name));
  return *value;
}

std::optional<int64_t> Params::integer(std::string_view name) {
  const json::value* value = raw(name);
  if (value == nullptr) return std::nullopt;
  return parse_integer(*value, full_name(name));
}

std::optional<int64_t> Params::integer_in(std::string_view name, int64_t min, int64_t max) {
  std::optional<int64_t> value = integer(name);
  if (!value) return std::nullopt;
  if (*value < min) {
    throw ApiError::invalid_request(
        fmt::format("This value must be greater than or equal to {}.", min), full_name(name));
  }
  if (*value > max) {
    throw ApiError::invalid_request(
        fmt::format("This value must be less than or equal to {}.", max), full_name(name));
  }
  return value;
}

std::optional<bool> Params::boolean(std::string_view name) {
  const json::value* value = raw(name);
  if (value == nullptr) return std::nullopt;
  return parse_boolean(*value, full_name(name));
}

std::optional<std::vector<std::string>> Params::string_list(std::string_view name) {
  const json::value* value = raw(name);
  if (value == nullptr) return std::nullopt;
  std::vector<std::string> list;
  auto add = [&](const json::value& element, const std::string& element_name) {
    if (!element.is_string()) {
      throw ApiError::invalid_request(fmt::format("Invalid string: {}", shown(element)),
                                      element_name);
    }
    list.emplace_back(element.as_string());
  };
  if (value->is_array()) {
    const json::array& array = value->as_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
      add(array[i], fmt::format("{}[{}]", full_name(name), i));
    }
    return list;
  }
  if (value->is_object()) {
    std::vector<std::pair<std::size_t, const json::value*>> indexed;
    for (const auto& [key, element] : value->as_object()) {
      auto index = array_index(key);
      if (!index) {
        throw ApiError::invalid_request("Invalid array", full_name(name));
      }
      indexed.emplace_back(*index, &element);
    }
    std::sort(indexed.begin(), indexed.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [index, element] : indexed) {
      add(*element, fmt::format("{}[{}]", full_name(name), index));
    }
    return list;
  }
  // An empty string is how a form sends an empty array.
  if (value->is_string() && value->as_string().empty()) return list;
  throw ApiError::invalid_request("Invalid array", full_name(name));
}

const json::object* Params::object(std::string_view name) {
  const json::value* value = raw(name);
  if (value == nullptr) return nullptr;
  if (!value->is_object()) throw ApiError::invalid_request("Invalid hash", full_name(name));
  return &value->as_object();
}

void Params::reject_unknown() const {
  for (const auto& [key, value] : object_) {
    if (read_.find(std::string_view(key)) == read_.end()) {
      throw ApiError::unknown_parameter(full_name(key));
    }
  }
}

}  // namespace hookline::api
