#pragma once
// A fixture file in the Stripe CLI's format (`stripe fixtures FILE.json`, and
// its `trigger` fixtures): a list of API calls ("steps") run in order, each
// named so that later steps can use its answer ("${customer:id}").
//
//   { "_meta": {"template_version": 0, "aliases": ["…"]?},
//     "fixtures": [ {"name": "customer", "path": "/v1/customers", "method": "post",
//                    "params": {…}?, "headers": {"Stripe-Account": "…"}?,
//                    "expected_error_type": "…"?, "idempotency_key": "…"?}, … ],
//     "env": {"NAME": "${customer:id}"}? }
//
// Parameter names written in form notation ("recurring[interval]") are read
// as nested objects, so that --override price:recurring.interval=year finds them.
#include <boost/json/object.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cli/payload_edit.hpp"

namespace hookline::cli {

// A fixture file that cannot be run; what() names the file or step and why.
class FixtureFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct FixtureStep {
  std::string name;
  std::string method;  // upper case: GET, POST, DELETE
  std::string path;    // as written, with its ${…} references
  boost::json::object params;
  boost::json::object headers;
  std::string expected_error_type;
};

struct FixtureFile {
  std::vector<std::string> aliases;  // _meta.aliases: other event names it triggers
  std::vector<FixtureStep> steps;
  boost::json::object env;
};

// Parses `text`; `source` names it in messages (a file name, "--raw").
// Throws FixtureFileError on malformed JSON, a missing field, a duplicate step
// name or a template_version newer than 0.
FixtureFile parse_fixture_file(std::string_view text, std::string_view source);

// Applies the --override/--add/--remove edits to the params of the steps they
// name (<step name>:<path>[=<value>]; steps may share a name: each one the
// edit fits). Throws PayloadEditError naming the valid
// step names, or the field, when an edit does not fit. Changes nothing on error.
void apply_fixture_edits(FixtureFile& file, const std::vector<PayloadEdit>& edits);

// Throws FixtureFileError when a --skip names no step.
void check_skip_names(const FixtureFile& file, const std::vector<std::string>& skip);

// The built-in trigger fixtures (fixtures/triggers/*.json, compiled in):
// every event name `hookline trigger` accepts (file names and aliases), sorted,
// and the text of the fixture of one (nullptr if none).
const std::vector<std::string>& trigger_names();
const std::string_view* find_trigger_fixture(std::string_view name);

}  // namespace hookline::cli
