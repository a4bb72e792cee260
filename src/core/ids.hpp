#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hookline {

// `length` characters of [0-9A-Za-z] drawn from OpenSSL's CSPRNG.
std::string random_alphanumeric(std::size_t length);

// A Stripe-style object id: "<prefix>_" followed by 24 random characters,
// e.g. new_id("evt") -> "evt_1Qx…". Unique with overwhelming probability.
std::string new_id(std::string_view prefix);

// The same shape ("<prefix>_" and 24 characters of [0-9A-Za-z]), but the first
// 8 characters are `unix_ms` in base 62 (fixed width, in alphabet order) and
// the other 16 random: ids made later sort after, so that an index on them
// grows at its end instead of touching a random page per insert (events are
// written at a high rate; the random part keeps them unguessable).
// REQUIRES: 0 <= unix_ms < 62^8.
std::string new_sortable_id(std::string_view prefix, int64_t unix_ms);

// A new webhook signing secret: "whsec_" followed by 32 random characters.
std::string new_webhook_secret();

}  // namespace hookline
