#pragma once
// Output of the API commands: column-aligned tables for people, indented JSON
// for scripts, and the JSON field access they share.
#include <boost/json/value.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace hookline::cli {

// Prints `header` and `rows` with each column padded to its widest cell.
void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);

// `value` as indented JSON (2 spaces), then a newline.
void print_json(std::ostream& out, const boost::json::value& value);

// A field of a JSON object as text: strings as they are, numbers and booleans
// in JSON, arrays of strings joined with ',', null or absent as "".
std::string text_field(const boost::json::value& object, std::string_view key);

// "2026-01-01 12:00:00" (UTC) for a unix time; "" for 0.
std::string format_time(int64_t unix_seconds);

}  // namespace hookline::cli
