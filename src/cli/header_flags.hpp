#pragma once
// The `--headers` / `--connect-headers` flag of `hookline listen`, as the Stripe
// CLI reads it: a comma-separated list of "Key:Value" pairs.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hookline::cli {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Parses "K:V, K2:V2" (one flag value; several values of the flag are parsed
// one by one and appended). Control characters are dropped; key and value are
// trimmed; the value may contain ':' ("Authorization: Basic a:b"). Throws
// std::invalid_argument for an item without ':' or with an empty key.
HeaderList parse_header_flag(std::string_view text);

}  // namespace hookline::cli
