#include "api/resources/metadata_param.hpp"

#include <fmt/format.h>

#include "api/api_error.hpp"

namespace hookline::api {

namespace {

constexpr std::size_t kMaxKeys = 50;
constexpr std::size_t kMaxKeyLength = 40;
constexpr std::size_t kMaxValueLength = 500;

}  // namespace

void apply_metadata_param(Params& params, boost::json::object& metadata) {
  const boost::json::value* given = params.raw("metadata");
  if (given == nullptr) return;
  const std::string name = params.full_name("metadata");
  if (given->is_string() && given->as_string().empty()) {
    metadata.clear();
    return;
  }
  if (!given->is_object()) throw ApiError::invalid_request("Invalid hash", name);
  for (const auto& [key, value] : given->as_object()) {
    const std::string param = fmt::format("{}[{}]", name, std::string_view(key));
    if (key.size() > kMaxKeyLength) {
      throw ApiError::invalid_request(
          fmt::format("Metadata keys can have up to {} characters; '{}' has {}.", kMaxKeyLength,
                      std::string_view(key), key.size()),
          param);
    }
    if (value.is_null() || (value.is_string() && value.as_string().empty())) {
      metadata.erase(key);
      continue;
    }
    if (!value.is_string()) {
      throw ApiError::invalid_request("Metadata values must be strings.", param);
    }
    if (value.as_string().size() > kMaxValueLength) {
      throw ApiError::invalid_request(
          fmt::format("Metadata values can have up to {} characters.", kMaxValueLength), param);
    }
    metadata[key] = value.as_string();
  }
  if (metadata.size() > kMaxKeys) {
    throw ApiError::invalid_request(
        fmt::format("An object can have up to {} metadata keys.", kMaxKeys), name);
  }
}

}  // namespace hookline::api
