#include "api/resources/type_pattern.hpp"

#include <fmt/format.h>

#include "api/api_error.hpp"

namespace hookline::api {

void check_type_pattern(const std::string& type, const std::string& param) {
  if (type.empty())
    throw ApiError::invalid_request("Invalid " + param + ": must not be empty.", param);
  const std::size_t star = type.find('*');
  if (star != std::string::npos && star != type.size() - 1) {
    throw ApiError::invalid_request(
        fmt::format("Invalid {}: '{}'. A wildcard '*' may only end the type, as in "
                    "payment_intent.*.",
                    param, type),
        param);
  }
}

}  // namespace hookline::api
