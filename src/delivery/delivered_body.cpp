#include "delivery/delivered_body.hpp"

namespace hookline::delivery {

std::string body_for_endpoint(std::string stored_body, std::string_view endpoint_api_version) {
  if (endpoint_api_version.empty()) return stored_body;
  constexpr std::string_view kKey = R"("api_version":")";
  const std::size_t key = stored_body.find(kKey);
  if (key == std::string::npos) return stored_body;
  const std::size_t start = key + kKey.size();
  const std::size_t end = stored_body.find('"', start);
  if (end == std::string::npos) return stored_body;
  // Splicing keeps every other byte (numbers exactly as published) as stored.
  stored_body.replace(start, end - start, endpoint_api_version);
  return stored_body;
}

}  // namespace hookline::delivery
