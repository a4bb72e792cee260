// The list of known event types (generated data) and lookups over it.
#include "catalog/event_types.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

namespace hookline::catalog {

namespace {

// Levenshtein distance: insertions, deletions and substitutions cost 1.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  std::iota(previous.begin(), previous.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

}  // namespace

const std::vector<std::string>& all_event_types() {
  static const std::vector<std::string> types = [] {
    std::vector<std::string> list = {
#include "catalog/event_types.inc"
    };
    std::sort(list.begin(), list.end());
    return list;
  }();
  return types;
}

bool is_known_event_type(std::string_view type) {
  const auto& types = all_event_types();
  return std::binary_search(types.begin(), types.end(), type,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

std::vector<std::string> nearest_event_types(std::string_view type, std::size_t count) {
  std::vector<std::pair<std::size_t, const std::string*>> scored;
  for (const std::string& known : all_event_types()) {
    scored.emplace_back(edit_distance(type, known), &known);
  }
  count = std::min(count, scored.size());
  // Ties keep the catalog's alphabetical order, so the answer is deterministic.
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> nearest;
  for (std::size_t i = 0; i < count; ++i) nearest.push_back(*scored[i].second);
  return nearest;
}

}  // namespace hookline::catalog
