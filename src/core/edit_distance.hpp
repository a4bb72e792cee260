#pragma once
// "Did you mean …?" for event types and subcommands alike.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hookline {

// Levenshtein distance: insertions, deletions and substitutions cost 1.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The `count` candidates nearest to `word`, nearest first; ties keep the
// candidates' order, so the answer is deterministic.
std::vector<std::string> nearest_words(std::string_view word,
                                       const std::vector<std::string>& candidates,
                                       std::size_t count);

}  // namespace hookline
