#pragma once
// UTF-8 repair for text that ends up in JSON: Boost.JSON serialises a string's
// bytes as they are, so invalid UTF-8 from the outside (a path segment echoed in
// an error message) would make the whole document invalid JSON.
#include <string>
#include <string_view>

namespace hookline {

// `text` with each byte that does not belong to a well-formed UTF-8 sequence
// (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF) replaced by
// U+FFFD. Valid text is returned unchanged.
std::string valid_utf8(std::string_view text);

}  // namespace hookline
