#pragma once
// PostgreSQL array literals ("{1,2}", "{\"a\",\"b\"}") of a batch's values,
// each bound as ONE parameter and read with unnest(?::T[]): a statement's text
// stays the same whatever the batch's size, so it is prepared once.
#include <string>
#include <string_view>

namespace hookline::postgres {

// Integers (or bools, as 0/1): "{1,0,3}".
template <typename Integers>
std::string int_array(const Integers& values) {
  std::string text = "{";
  for (const auto value : values) {
    if (text.size() > 1) text += ',';
    text += std::to_string(static_cast<long long>(value));
  }
  return text + '}';
}

// Texts, each quoted and escaped (never read as NULL): "{\"a\",\"b \\\" c\"}".
template <typename Texts>
std::string text_array(const Texts& values) {
  std::size_t size = 2;
  for (const auto& value : values) size += std::string_view(value).size() + 3;
  std::string text;
  text.reserve(size);
  text += '{';
  for (const auto& value : values) {
    if (text.size() > 1) text += ',';
    text += '"';
    for (const char c : std::string_view(value)) {
      if (c == '"' || c == '\\') text += '\\';
      text += c;
    }
    text += '"';
  }
  return text + '}';
}

}  // namespace hookline::postgres
