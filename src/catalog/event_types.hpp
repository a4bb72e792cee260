#pragma once
// The event-type catalog: every type the official SDK knows (generated data, see
// catalog/README or scripts/), and the availability rules per account type.
#include <string>
#include <string_view>
#include <vector>

#include "core/models.hpp"

namespace hookline::catalog {

// Every known event type, sorted, without "*".
const std::vector<std::string>& all_event_types();
bool is_known_event_type(std::string_view type);
// Whether an event of `type` can happen on `account` (Connect availability
// rules; always true for the platform's own account).
bool is_available_for(const Account& account, std::string_view type);
// Up to `count` known types closest to `type` (for "did you mean" messages).
std::vector<std::string> nearest_event_types(std::string_view type, std::size_t count = 3);

}  // namespace hookline::catalog
