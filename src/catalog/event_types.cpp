// The list of known event types (generated data) and lookups over it.
#include "catalog/event_types.hpp"

#include <algorithm>

#include "core/edit_distance.hpp"

namespace hookline::catalog {

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
  // Ties keep the catalog's alphabetical order, so the answer is deterministic.
  return nearest_words(type, all_event_types(), count);
}

}  // namespace hookline::catalog
