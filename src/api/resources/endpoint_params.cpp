#include "api/resources/endpoint_params.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/url/parse.hpp>

#include "api/api_error.hpp"
#include "catalog/api_versions.hpp"
#include "catalog/event_types.hpp"

namespace hookline::api {

namespace {

constexpr std::size_t kMaxUrlLength = 2048;

ApiError invalid_url(const std::string& url, std::string_view why =
                                                 "A webhook endpoint's URL must be an absolute "
                                                 "http:// or https:// URL with a host.") {
  return ApiError::invalid_request(fmt::format("Invalid URL: {}. {}", url, why), "url",
                                   "url_invalid");
}

// An explicit port is 1..65535 (an empty one means the scheme's default).
bool valid_port(std::string_view port) {
  if (port.empty()) return true;
  int number = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
    number = number * 10 + (c - '0');
    if (number > 65535) return false;
  }
  return number >= 1;
}

}  // namespace

std::string read_endpoint_url(Params& params) {
  std::optional<std::string> url = params.string("url");
  if (!url) return {};
  if (url->empty()) throw ApiError::missing_parameter("url");
  if (url->size() > kMaxUrlLength) throw invalid_url(url->substr(0, 64) + "…");
  auto parsed = boost::urls::parse_absolute_uri(*url);
  if (!parsed) throw invalid_url(*url);
  const auto scheme = parsed->scheme_id();
  if ((scheme != boost::urls::scheme::http && scheme != boost::urls::scheme::https) ||
      parsed->encoded_host().empty()) {
    throw invalid_url(*url);
  }
  if (parsed->has_port() && !valid_port(parsed->port())) {
    throw invalid_url(*url, "The port must be a number from 1 to 65535.");
  }
  return *url;
}

std::vector<std::string> read_enabled_events(Params& params) {
  std::optional<std::vector<std::string>> given = params.string_list("enabled_events");
  if (!given) return {};
  if (given->empty()) throw ApiError::missing_parameter("enabled_events");
  std::vector<std::string> events;
  for (std::size_t i = 0; i < given->size(); ++i) {
    const std::string& type = (*given)[i];
    if (type != "*" && !catalog::is_known_event_type(type)) {
      std::string message =
          fmt::format("Invalid enabled_events[{}]: '{}' is not a known event type.", i, type);
      auto nearest = catalog::nearest_event_types(type, 3);
      if (!nearest.empty()) message += fmt::format(" Did you mean {}?", fmt::join(nearest, ", "));
      throw ApiError::invalid_request(message, fmt::format("enabled_events[{}]", i));
    }
    if (std::find(events.begin(), events.end(), type) == events.end()) events.push_back(type);
  }
  return events;
}

std::optional<std::string> read_description(Params& params) {
  constexpr std::size_t kMaxCharacters = 5000;
  std::optional<std::string> description = params.string("description");
  if (!description) return description;
  // UTF-8: every byte but a continuation byte starts a character.
  const auto characters = static_cast<std::size_t>(
      std::count_if(description->begin(), description->end(),
                    [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
  if (characters > kMaxCharacters) {
    throw ApiError::invalid_request(
        fmt::format("Invalid string: {}...; must be at most {} characters",
                    description->substr(0, 30), kMaxCharacters),
        "description");
  }
  return description;
}

std::string read_api_version(Params& params) {
  std::optional<std::string> version = params.string("api_version");
  if (!version) return {};
  if (!catalog::is_published_api_version(*version)) {
    throw ApiError::invalid_api_version(*version, "api_version");
  }
  return *version;
}

}  // namespace hookline::api
