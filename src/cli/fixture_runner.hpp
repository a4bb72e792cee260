#pragma once
// Runs a fixture file (cli/fixture_file.hpp) against a hookline server: each
// step in order, its ${…} references resolved from the answers of the steps
// before it. Calls on connected accounts (POST /v1/accounts, POST and DELETE
// /v1/accounts/{id}) go to hookline's own API, which emits account.updated and
// account.application.deauthorized itself; every other call is modeled
// (cli/api_model.hpp) and the events it would cause are published in order
// with POST /v1/events, on the account the step acts as (its Stripe-Account
// header, else --stripe-account, else the platform).
#include <boost/json/object.hpp>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "cli/api_client.hpp"
#include "cli/api_model.hpp"
#include "cli/fixture_file.hpp"
#include "cli/fixture_query.hpp"

namespace hookline::cli {

// What a run needs from the server; ServerFixtureBackend is the real one.
class FixtureBackend {
 public:
  virtual ~FixtureBackend() = default;
  // Publishes `event`; returns the id of the event the server made. Throws
  // ApiError, or std::runtime_error when the answer is not an event.
  virtual std::string publish(const ModeledEvent& event) = 0;
  // A call of hookline's own API, as the platform; the parsed answer.
  virtual boost::json::value call(const std::string& method, const std::string& path,
                                  const FormParams& params) = 0;
  // The id of the newest event of `type` on `account` created at or after
  // `since` (unix seconds); empty if none.
  virtual std::string newest_event(const std::string& type, const std::string& account,
                                   int64_t since) = 0;
};

class ServerFixtureBackend : public FixtureBackend {
 public:
  explicit ServerFixtureBackend(const ApiClient& api) : api_(api) {}
  std::string publish(const ModeledEvent& event) override;
  boost::json::value call(const std::string& method, const std::string& path,
                          const FormParams& params) override;
  std::string newest_event(const std::string& type, const std::string& account,
                           int64_t since) override;

 private:
  const ApiClient& api_;
};

struct FixtureRunOptions {
  std::vector<std::string> skip;  // names of steps not to run (--skip)
  // Acts as this connected account (--stripe-account); a step creating a
  // connected account (POST /v1/accounts) then uses this one instead.
  std::string stripe_account;
  int64_t now = 0;  // unix seconds
};

struct PublishedEvent {
  std::string id;
  std::string type;
  std::string account;  // empty: the platform
};

struct FixtureRunResult {
  std::vector<PublishedEvent> events;  // in the order they were published
  StepAnswers answers;                 // each step's answer, by step name
  boost::json::object env;             // the file's "env", its references resolved
};

// Throws FixtureFileError naming the first step (not skipped) whose call
// hookline cannot model, before anything is created.
void check_fixture_runnable(const FixtureFile& file, const std::vector<std::string>& skip);

// Runs `file`, printing the Stripe CLI's "Setting up fixture for: NAME" /
// "Running fixture for: NAME" lines and one line per event on `out`. Throws
// FixtureFileError, ApiError (a failing call without an expected_error_type),
// or std::runtime_error (a server that does not answer as hookline does).
FixtureRunResult run_fixture(const FixtureFile& file, const FixtureRunOptions& options,
                             FixtureBackend& backend, std::ostream& out);

// {"a": {"b": 1}, "c": [x, y]} -> a[b]=1, c[0]=x, c[1]=y (Stripe's form encoding).
FormParams form_params(const boost::json::object& params);

}  // namespace hookline::cli
