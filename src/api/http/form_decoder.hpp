#pragma once
// application/x-www-form-urlencoded with Stripe's bracket notation, decoded
// into nested JSON objects and arrays whose leaves are strings:
//   a=1                      {"a":"1"}
//   a[b][c]=1                {"a":{"b":{"c":"1"}}}
//   a[]=1&a[]=2              {"a":["1","2"]}
//   a[0]=x&a[1]=y            {"a":["x","y"]}     (ordered by index, gaps closed)
//   a[0][b]=1&a[0][c]=2      {"a":[{"b":"1","c":"2"}]}
//   a[][b]=1&a[][c]=2        {"a":[{"b":"1","c":"2"}]}   (Rack's rule: a pushed
//                            hash is filled until one of its keys repeats)
//   metadata[key]=           {"metadata":{"key":""}} (empty: "unset" for the resource)
// '+' is a space, %XX a byte (both in names and values); pairs without '=' have
// an empty value; empty pairs ("a=1&&b=2") are skipped; a repeated name keeps
// its last value. A segment of decimal digits without leading zeros indexes an
// array; an array that later gets a non-numeric key becomes a hash keyed by the
// decimal indices. Names and values must be valid UTF-8 once decoded.
//
// Pure and thread-safe. Bad input throws ApiError (400 invalid_request_error)
// whose param names the offending parameter in bracket notation.
#include <boost/json/object.hpp>
#include <cstddef>
#include <string_view>

namespace hookline::api {

struct FormLimits {
  std::size_t max_pairs = 10'000;  // name=value pairs in one request
  std::size_t max_depth = 32;      // bracket segments in one name
};

boost::json::object decode_form(std::string_view encoded, const FormLimits& limits = {});

// Decodes several encoded strings as one (a query string, then a body): later
// pairs override earlier ones as within one string.
boost::json::object decode_forms(std::initializer_list<std::string_view> encoded,
                                 const FormLimits& limits = {});

}  // namespace hookline::api
