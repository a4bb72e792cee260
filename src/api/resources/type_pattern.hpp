#pragma once
// An event-type filter value: an exact name or a prefix pattern ending in '*'
// ("payment_intent.*"). Shared by the event list and an endpoint's attempts.
#include <string>

namespace hookline::api {

// Throws ApiError (400, `param` named) for an empty value or a '*' that does
// not end it.
void check_type_pattern(const std::string& type, const std::string& param);

}  // namespace hookline::api
