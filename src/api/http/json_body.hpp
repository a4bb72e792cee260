#pragma once
// The JSON body of an API call (Content-Type: application/json), decoded so that
// every number is delivered as it was sent: integers stay int64/uint64, and a
// number with a fraction or an exponent is kept only if a double holds it
// exactly as written (0.5, 1.25, 0.1, 2e3). Anything else — an integer outside
// int64/uint64, 1e999 (would become Infinity, which is not JSON), 1e-999
// (would become 0), more digits than a double keeps — is refused by name.
#include <boost/json/object.hpp>
#include <string_view>

namespace hookline::api {

// Returns the body's top-level object. Throws ApiError (400
// invalid_request_error) for malformed JSON, a body that is not an object, or a
// number that cannot be kept exactly; for the latter `param` is the field in
// bracket notation, e.g. data[object][amount_due] or data[object][lines][0].
boost::json::object decode_json_body(std::string_view body);

}  // namespace hookline::api
