#pragma once
// What a Stripe API call made by a fixture step would do, since hookline has
// no payments API of its own: the objects it creates or changes (referring to
// each other: the charge's payment_intent is the intent's id) and the events
// Stripe emits for it, in Stripe's order.
//
// The behaviour is data, fixtures/model/api_model.json (compiled in):
//   "objects":   per object type, a template (an event fixture's data.object,
//                or "fields") and the fields that refer to other objects;
//   "resources": API paths and their object type and event prefix, from which
//                the plain calls follow: POST /v1/customers creates a customer
//                and emits customer.created, POST …/{id} updates (….updated
//                with previous_attributes), DELETE …/{id} (….deleted),
//                GET …/{id} and GET /v1/<resource> (a list) answer;
//   "verbs":     POST …/{id}/cancel and the other actions (….canceled);
//   "calls":     the calls that do more (a confirmed PaymentIntent charges a
//                card), each with conditions on its params ("when") and the
//                list of effects ("do"), first match wins; an effect with
//                "if": TYPE / "unless": TYPE happens only when this run has
//                (has no) object of that type.
// Values in the table may hold ${now}, ${now+N}, ${id:PREFIX}, ${account},
// ${ref:TYPE} / ${ref:TYPE:path} (the latest object of that type in this run),
// ${param:path} (the call's parameter), ${line_items_total} and ${A - B}, the
// difference of two integers, each one of these or a number.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hookline::cli {

struct ModeledEvent {
  std::string type;
  boost::json::object data;  // {object, previous_attributes?}
  std::string account;       // the connected account it happens on; empty: the platform
};

struct ModeledCall {
  std::string method;  // GET, POST, DELETE
  std::string path;    // with its references resolved
  boost::json::object params;
  std::string account;  // the account the call acts as (Stripe-Account); empty: the platform
};

struct ModeledAnswer {
  boost::json::value object;  // what Stripe would answer
  std::vector<ModeledEvent> events;
};

// The objects of one run (one fixture file), so that later calls find them.
// Only ApiModel::apply reads and changes it.
struct ModelWorld {
  explicit ModelWorld(int64_t unix_now) : now(unix_now) {}

  int64_t now;
  std::vector<boost::json::object> objects;
  std::map<std::string, std::size_t, std::less<>> by_id;
  std::map<std::string, std::size_t, std::less<>> latest;  // object type -> index
  std::map<std::string, std::string, std::less<>> origin;  // id -> the test token it stands for
  std::map<std::size_t, boost::json::object> previous;     // index -> fields before the last change
};

class ApiModel {
 public:
  // The compiled-in table. Throws std::runtime_error if it is malformed (a
  // build defect the unit tests catch).
  static const ApiModel& built_in();
  explicit ApiModel(const boost::json::value& table);

  // Whether `method path` is a call the table models. `path` may still hold
  // ${…} references: a segment holding one matches any id.
  bool models(std::string_view method, std::string_view path) const;

  // Runs `call` in `world`. Throws FixtureFileError (cli/fixture_file.hpp)
  // when the call is not modeled or needs an object no earlier call made.
  ModeledAnswer apply(ModelWorld& world, const ModeledCall& call) const;

  // Every event type some call of the table can emit (for --list and tests).
  std::vector<std::string> event_types() const;

 private:
  struct Match;
  bool find_row(const ModelWorld* world, const ModeledCall& call, Match& match) const;

  boost::json::object objects_;
  boost::json::array resources_;
  boost::json::object verbs_;
  boost::json::array calls_;
};

}  // namespace hookline::cli
