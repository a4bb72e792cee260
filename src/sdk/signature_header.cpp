#include "sdk/signature_header.hpp"

#include <charconv>

namespace hookline::sdk {
namespace {

std::optional<int64_t> parse_timestamp(std::string_view value) {
  // Digits only (no sign, no spaces): 18 digits cannot overflow an int64.
  if (value.empty() || value.size() > 18) return std::nullopt;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int64_t t = 0;
  std::from_chars(value.data(), value.data() + value.size(), t);
  return t;
}

// `item` is "t" or "v1", alone or followed by '=': then `value` is what follows
// the first '='. Character tests rather than string comparisons: this runs for
// every item of every request.
bool is_t(std::string_view item, std::string_view& value) {
  if (item.empty() || item[0] != 't') return false;
  if (item.size() == 1) return value = {}, true;
  if (item[1] != '=') return false;
  value = item.substr(2);
  return true;
}

bool is_v1(std::string_view item, std::string_view& value) {
  if (item.size() < 2 || item[0] != 'v' || item[1] != '1') return false;
  if (item.size() == 2) return value = {}, true;
  if (item[2] != '=') return false;
  value = item.substr(3);
  return true;
}

}  // namespace

ParsedHeader parse_header(std::string_view header) {
  ParsedHeader parsed;
  int t_items = 0;
  while (true) {
    const std::size_t comma = header.find(',');
    const std::string_view item = header.substr(0, comma);
    std::string_view value;
    if (is_v1(item, value)) {
      parsed.keep_v1(value);
    } else if (is_t(item, value)) {
      // A second `t` makes the header ambiguous: reject rather than pick one.
      if (++t_items == 1 && item.size() > 1) parsed.timestamp = parse_timestamp(value);
    }
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  if (t_items != 1) parsed.timestamp.reset();
  return parsed;
}

}  // namespace hookline::sdk
