#include "api/http/json_body.hpp"

#include <fmt/format.h>

#include "api/api_error.hpp"
#include "core/exact_json.hpp"

namespace hookline::api {

namespace json = boost::json;

json::object decode_json_body(std::string_view body) {
  ExactJson parsed = parse_exact_json(body);
  if (parsed.inexact_number) {
    const std::string& at = parsed.inexact_at;
    const std::string& number = *parsed.inexact_number;
    throw ApiError::invalid_request(
        fmt::format("Invalid number{}: {} cannot be kept exactly. Integers must lie between "
                    "-9223372036854775808 and 18446744073709551615; other numbers must be "
                    "finite and hold no more digits than a double keeps (send larger or more "
                    "precise values as strings).",
                    at.empty() ? "" : " in " + at,
                    number.empty() ? "A number" : "The number " + number),
        at);
  }
  if (parsed.error) {
    throw ApiError::invalid_request("Invalid JSON body: " + parsed.error.message() + ".");
  }
  if (!parsed.value.is_object()) {
    throw ApiError::invalid_request("Invalid JSON body: it must be an object.");
  }
  return std::move(parsed.value.as_object());
}

}  // namespace hookline::api
