#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hookline {

// `length` characters of [0-9A-Za-z] drawn from OpenSSL's CSPRNG.
std::string random_alphanumeric(std::size_t length);

// How many characters follow "<prefix>_" in the ids Stripe makes: acct 16,
// req 14, ca 32, whsec 32, and 24 for the others (evt, we, …), so that columns
// and validators sized for Stripe's ids fit hookline's. Ids made before these
// lengths (24 for every prefix) stay valid: nothing checks an id's length.
std::size_t id_length(std::string_view prefix);

// A Stripe-style object id: "<prefix>_" followed by id_length(prefix) random
// characters, e.g. new_id("evt") -> "evt_1Qx…". Unique with overwhelming
// probability.
std::string new_id(std::string_view prefix);

// An id of new_id's shape that is a function of `seed` (SHA-256 of it, in
// the id alphabet): the same seed always gives the same id. For ids named
// after another object, e.g. the platform's Connect application "ca_…".
// REQUIRES: id_length(prefix) <= 32.
std::string derived_id(std::string_view prefix, std::string_view seed);

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
