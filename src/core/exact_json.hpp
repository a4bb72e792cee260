#pragma once
// JSON parsed so that every number is kept as it was written: integers stay
// int64/uint64, and a number with a fraction or an exponent is kept only if a
// double holds it exactly as written (0.5, 1.25, 0.1, 2e3). Anything else — an
// integer outside int64/uint64, 1e999 (would become Infinity, which is not
// JSON), 1e-999 (would become 0), more digits than a double keeps — is
// reported with where it is. Doubles are correctly rounded (std::from_chars),
// which boost::json::parse (1.81) does not promise.
#include <boost/json/error.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace hookline {

struct ExactJson {
  boost::json::value value;      // null unless the parse succeeded
  boost::json::error_code error;  // malformed JSON, or boost::json::error::not_exact
  // With not_exact: the number as written (cut to 40 characters) and where it
  // is, in bracket notation: data[object][lines][0][amount] ("" at the top).
  std::optional<std::string> inexact_number;
  std::string inexact_at;
};

// Parses one JSON document (the whole of `text`; default boost::json limits).
ExactJson parse_exact_json(std::string_view text);

}  // namespace hookline
