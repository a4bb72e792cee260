#pragma once
// Parsing of the --retry-schedule-* flags: "60,300,1800" -> {60, 300, 1800} seconds.
#include <cstdint>
#include <string_view>
#include <vector>

namespace hookline {

// Comma-separated positive numbers of seconds (fractions allowed: "0.05" is 50 ms),
// at least one. Returns milliseconds. Throws std::invalid_argument with a message
// naming the bad element otherwise.
std::vector<int64_t> parse_schedule_ms(std::string_view text);

}  // namespace hookline
