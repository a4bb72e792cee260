#pragma once
// One modeled API call applied to a run's objects (cli/api_model.hpp): makes
// objects from the table's templates, sets their fields, resolves the table's
// ${…} values, and records the events in order. Used by ApiModel::apply only.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <string>
#include <vector>

#include "cli/api_model.hpp"

namespace hookline::cli {

// A value as text: a string as is, anything else as JSON.
std::string model_text(const boost::json::value& value);
// The string field `key` of `object`, or "".
std::string model_string_field(const boost::json::object& object, std::string_view key);
// A parameter's value given the type of the field it lands in (nullptr: none):
// "1500" into a number field is 1500, "true" into a boolean true, a number
// into a string field its text; objects merge.
boost::json::value model_coerce(const boost::json::value* existing,
                                const boost::json::value& param);

class ModelApplier {
 public:
  // `objects`: the table's "objects"; `account`: the account the call's events happen on.
  ModelApplier(const boost::json::object& objects, ModelWorld& world, const ModeledCall& call,
               std::string account);

  std::vector<ModeledEvent> events;  // emitted so far, in order

  boost::json::object& object(std::size_t index);
  bool has(const std::string& kind) const;  // the run has an object of that type
  // The latest object of `kind`; throws FixtureFileError if the run has none.
  std::size_t latest(const std::string& kind) const;
  // A new object of `kind` from its template; it becomes the latest of its kind.
  std::size_t new_object(const std::string& kind);
  // The object `id` names; a new one of `kind` when this run has none (a test
  // token such as pm_card_visa, or an object made elsewhere).
  std::size_t find_or_new(const std::string& kind, const std::string& id);
  // Sets `fields` ("a.b[0].c": value) on the object, remembering the values
  // it replaces as its previous_attributes.
  void set(std::size_t index, const boost::json::object& fields);
  // Merges the call's params into the object: only fields the object has
  // (and metadata, as strings), typed as the field is.
  void merge_params(std::size_t index);
  void emit(const std::string& type, std::size_t index, bool with_previous);
  // `value` with the table's ${…} placeholders replaced.
  boost::json::value resolve(const boost::json::value& value);

 private:
  void index_object(const std::string& kind, std::size_t index);
  boost::json::value placeholder(const std::string& name);
  boost::json::value line_items_total();

  const boost::json::object& objects_;
  ModelWorld& world_;
  const ModeledCall& call_;
  std::string account_;
  std::map<std::string, std::string> ids_;
};

}  // namespace hookline::cli
