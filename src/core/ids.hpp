#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace hookline {

// `length` characters of [0-9A-Za-z] drawn from OpenSSL's CSPRNG.
std::string random_alphanumeric(std::size_t length);

// A Stripe-style object id: "<prefix>_" followed by 24 random characters,
// e.g. new_id("evt") -> "evt_1Qx…". Unique with overwhelming probability.
std::string new_id(std::string_view prefix);

// A new webhook signing secret: "whsec_" followed by 32 random characters.
std::string new_webhook_secret();

}  // namespace hookline
