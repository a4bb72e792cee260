#include "server/schedule_flag.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>

namespace hookline {

std::vector<int64_t> parse_schedule_ms(std::string_view text) {
  std::vector<int64_t> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    double seconds = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), seconds);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size() ||
        !std::isfinite(seconds) || seconds <= 0 || seconds > 365.0 * 86400) {
      throw std::invalid_argument(fmt::format(
          "invalid retry schedule '{}': '{}' is not a positive number of seconds (at most one "
          "year); expected e.g. 60,300,1800",
          text, item));
    }
    out.push_back(static_cast<int64_t>(std::llround(seconds * 1000)));
    if (out.back() == 0) out.back() = 1;
    start = comma + 1;
  }
  return out;
}

}  // namespace hookline
