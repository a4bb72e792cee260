#pragma once
// HMAC-SHA256 of a signed payload ("<timestamp>.<payload>") and the hex form of
// its 32-byte digest: the primitives under both signing and verification.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace hookline::signing {

using Digest = std::array<unsigned char, 32>;

// HMAC-SHA256 keyed with `secret` over the bytes `message`. Thread-safe: each
// thread keeps its own OpenSSL context. Throws std::runtime_error only if OpenSSL
// itself fails (out of memory).
Digest hmac_sha256(std::string_view secret, std::string_view message);

// HMAC-SHA256 keyed with `secret` over "<timestamp>.<payload>", without copying
// the payload.
Digest hmac_signed_payload(std::string_view secret, int64_t timestamp, std::string_view payload);

// Lowercase hex, 64 characters: on the stack, or as a string.
using HexDigest = std::array<char, 64>;
HexDigest hex_chars(const Digest& digest);
std::string to_hex(const Digest& digest);

}  // namespace hookline::signing
