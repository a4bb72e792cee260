#pragma once
// Text the PostgreSQL store puts into or binds to its statements: placeholder
// lists, and array literals ("{1,2}", "{\"a\",\"b\"}") that carry a batch's
// values as ONE parameter (read with unnest(?::T[]) or = ANY(?::T[])), so
// that nothing is spliced into the SQL.
#include <cstddef>
#include <string>
#include <string_view>

namespace hookline::postgres {

// "(?, ?), (?, ?)": `rows` copies of `row`, comma-separated ("?" gives "?, ?, ?").
inline std::string values_list(std::size_t rows, std::string_view row) {
  std::string sql;
  sql.reserve(rows * (row.size() + 2));
  for (std::size_t i = 0; i < rows; ++i) {
    if (i > 0) sql += ", ";
    sql += row;
  }
  return sql;
}

// Integers: "{1,0,3}".
template <typename Integers>
std::string int_array(const Integers& values) {
  std::string text = "{";
  for (const auto value : values) {
    if (text.size() > 1) text += ',';
    text += std::to_string(value);
  }
  return text + '}';
}

// Texts, each quoted and escaped (never read as NULL): "{\"a\",\"b \\\" c\"}".
template <typename Texts>
std::string text_array(const Texts& values) {
  std::string text = "{";
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
