#pragma once
// Stripe's published API versions, `YYYY-MM-DD` and, since 2024-09-30, named
// releases `YYYY-MM-DD.name`. Only these are accepted as an endpoint's
// api_version or a request's Stripe-Version, as Stripe accepts only these.
#include <span>
#include <string_view>

namespace hookline::catalog {

// Every published version, oldest first (sorted).
std::span<const std::string_view> published_api_versions();
bool is_published_api_version(std::string_view version);

}  // namespace hookline::catalog
