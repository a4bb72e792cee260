#pragma once
// The JSON body of an API call (Content-Type: application/json), decoded with
// parse_exact_json (core/exact_json.hpp) so that every number is delivered as
// it was sent; a number that would not be is refused by name.
#include <boost/json/object.hpp>
#include <string_view>

namespace hookline::api {

// Returns the body's top-level object. Throws ApiError (400
// invalid_request_error) for malformed JSON, a body that is not an object, or a
// number that cannot be kept exactly; for the latter `param` is the field in
// bracket notation, e.g. data[object][amount_due] or data[object][lines][0].
boost::json::object decode_json_body(std::string_view body);

}  // namespace hookline::api
