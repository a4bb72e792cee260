#pragma once
// Stripe's types on a connected account's object, driven by the Account table
// (catalog/account_schema.hpp): form values, which are strings, are stored as
// the integers, booleans and nulls the type declares, and sub-objects are
// whole, with the fields not given as null.
#include <boost/json/object.hpp>
#include <string>

namespace hookline::api {

// Merges the parameters `given` (nested form values) into `target`, the object
// at dotted `path` ("company", "settings.payouts"): objects key by key, ""
// as null, strings converted where the field is an integer or a boolean.
// `param` names `given` in errors ("company"). Throws ApiError (400, the
// parameter named: "tos_acceptance[date]") for a value of the wrong kind.
void merge_typed(boost::json::object& target, const boost::json::object& given,
                 const std::string& path, const std::string& param);

// Completes the top-level objects present in `account` (and future_requirements,
// added as a copy of requirements if absent): every field of their type that
// is missing becomes null if it may be null, else, if the type requires it,
// the empty value of its kind (object completed in turn, [], false); optional
// ones stay out. Nested objects likewise. Strings kept by older versions where
// an integer or a boolean belongs are converted.
void complete_account_object(boost::json::object& account);

}  // namespace hookline::api
