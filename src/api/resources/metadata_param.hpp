#pragma once
// The `metadata` parameter, with Stripe's rules: metadata[key]=value sets a
// key, metadata[key]= (empty) removes it, metadata= (empty) removes them all;
// at most 50 keys of up to 40 characters, values of up to 500.
#include <boost/json/object.hpp>

#include "api/resources/params.hpp"

namespace hookline::api {

// Applies the `metadata` parameter of `params` (if given) to `metadata`.
// Throws ApiError (400, param named) for a bad key or value.
void apply_metadata_param(Params& params, boost::json::object& metadata);

}  // namespace hookline::api
