#include "cli/header_flags.hpp"

#include <stdexcept>

namespace hookline::cli {

namespace {

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace

HeaderList parse_header_flag(std::string_view text) {
  std::string clean;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x20) clean += c;
  }
  HeaderList headers;
  std::string_view rest = clean;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (trim(item).empty()) continue;
    const auto colon = item.find(':');
    if (colon == std::string_view::npos) {
      throw std::invalid_argument("Header \"" + trim(item) + "\" is not of the form Key:Value");
    }
    std::string key = trim(item.substr(0, colon));
    if (key.empty()) {
      throw std::invalid_argument("Header \"" + trim(item) + "\" has an empty name");
    }
    headers.emplace_back(std::move(key), trim(item.substr(colon + 1)));
  }
  return headers;
}

}  // namespace hookline::cli
