#pragma once
// Event payload templates: fixtures/<event type>.json, compiled into the
// binary. `hookline send --event` sends one; the trigger model
// (fixtures/model/api_model.json) makes its objects from them. (`hookline
// trigger` itself runs the step fixtures of fixtures/triggers/, fixture_file.hpp.)
//
// A fixture file:
//   { "event": "payment_intent.succeeded",
//     "name": "payment_intent",        // the <fixture> in --override payment_intent:amount=…
//     "description": "…",
//     "connect": "optional" | "required",  // required: happens on a connected account
//     "data": { "object": {…}, "previous_attributes": {…}? } }
// Placeholders in string values, replaced by render_fixture():
//   "${now}", "${now+N}"  -> the current unix time (+N seconds), as a number
//   "${account}"          -> the connected account's id (null when there is none)
//   "${id:PREFIX}"        -> a fresh id "PREFIX_…", the same one everywhere in
//                            one rendering (may appear inside a longer string)
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hookline::cli {

struct Fixture {
  std::string event;  // the event type
  std::string name;
  std::string description;
  bool requires_connected_account = false;
  boost::json::object data;  // the template: {object, previous_attributes?}
};

// Every compiled-in fixture, sorted by event type. Throws std::runtime_error
// if a fixture file is malformed (a build defect, caught by the unit tests).
const std::vector<Fixture>& all_fixtures();
const Fixture* find_fixture(std::string_view event_type);

struct FixtureContext {
  int64_t now = 0;         // unix seconds
  std::string account_id;  // the connected account; empty: none
};

// The fixture's data {object, previous_attributes?} with placeholders replaced.
boost::json::object render_fixture(const Fixture& fixture, const FixtureContext& context);

}  // namespace hookline::cli
