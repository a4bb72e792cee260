#pragma once
// Validation of a webhook endpoint's parameters (create and update).
#include <optional>
#include <string>
#include <vector>

#include "api/resources/params.hpp"

namespace hookline::api {

// `url`: an absolute http(s) URL with a host. Throws ApiError (param url).
std::string read_endpoint_url(Params& params);
// `enabled_events`: a non-empty list of known event types or "*"; an unknown
// type is named by its index (enabled_events[2]) with the nearest known
// names. Duplicates are dropped.
std::vector<std::string> read_enabled_events(Params& params);
// `description`: at most 5000 characters (code points), as Stripe's limit;
// nullopt if absent.
std::optional<std::string> read_description(Params& params);
// `api_version`: a Stripe API version ("2026-10-28.endive" or "2024-06-20").
std::string read_api_version(Params& params);

}  // namespace hookline::api
