#pragma once
// ISO 3166-1 alpha-2 country codes, as Stripe's `country` parameters take them.
#include <string_view>

namespace hookline::catalog {

// Whether `code` is an assigned ISO 3166-1 alpha-2 code, in upper case ("US").
bool is_iso_country(std::string_view code);

}  // namespace hookline::catalog
