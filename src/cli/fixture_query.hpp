#pragma once
// The references a fixture step's path, params and headers may hold, as the
// Stripe CLI reads them:
//   ${name:path.to.field}          a field of the answer of the step `name`
//                                  (".0." indexes an array: ${list:data.0.id})
//   ${name:path|default}           the default when the field is absent
//   ${.env:VAR}                    the environment variable VAR, else VAR in ./.env
//   ${time-now-RFC3339}, ${generate-uuid}
// A string that is exactly one reference takes the referenced value with its
// JSON type (a number stays a number); inside a longer string it is text.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <string>

namespace hookline::cli {

using StepAnswers = std::map<std::string, boost::json::value, std::less<>>;

// `value` with every reference in its strings replaced. Throws FixtureFileError
// (cli/fixture_file.hpp) naming the reference when a step name is undeclared,
// a field is absent without a default, or an env variable is unset.
boost::json::value resolve_references(const boost::json::value& value, const StepAnswers& answers);

// A gjson-style path ("data.0.id") in `value`, or nullptr.
const boost::json::value* find_answer_field(const boost::json::value& value, std::string_view path);

}  // namespace hookline::cli
