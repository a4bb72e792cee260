#pragma once
// Publishing an event: validate, render the body once, route, commit durably
// with its deliveries, then wake the dispatcher. Used by the API and by the
// engine's own events (account.updated, account.application.deauthorized, …).
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/models.hpp"
#include "events/routing_cache.hpp"
#include "store/group_commit.hpp"
#include "store/store.hpp"

namespace hookline {

// Bad input to publish(): `param` names the offending parameter, as Stripe's errors do.
class PublishError : public std::runtime_error {
 public:
  PublishError(std::string param, const std::string& message)
      : std::runtime_error(message), param_(std::move(param)) {}
  const std::string& param() const { return param_; }

 private:
  std::string param_;
};

// The most an event's JSON body may hold, escapes included (a control
// character in a string takes six bytes: \u0001). Bigger events are refused.
constexpr std::size_t kMaxEventBodyBytes = 1 << 20;

struct PublishRequest {
  std::string account_id;  // the account the event happens on
  bool livemode = false;
  std::string type;
  boost::json::value data_object;  // must be a JSON object
  std::optional<boost::json::value> previous_attributes;
  std::string request_id;       // req_… of the API call that caused it; empty: null
  std::string idempotency_key;  // empty: null
  std::string api_version;      // the event's api_version; empty: the platform's default
};

// An event validated, routed and rendered (EventPublisher::prepare), not yet
// committed.
struct PreparedEvent {
  NewEvent row;  // row.event is the event as it will be stored
  // The routed endpoints as read for routing (handed to the dispatcher
  // without a read back), or empty.
  std::vector<WebhookEndpoint> routed;
};

class EventPublisher {
 public:
  // `platform_account_id`: the platform (owner of Connect endpoints).
  // `api_version`: what every event's api_version says.
  // `on_committed`: called after each commit (wakes the dispatcher).
  EventPublisher(Store& store, Clock& clock, GroupCommitWriter& writer,
                 std::string platform_account_id, std::string api_version,
                 std::function<void()> on_committed = {});

  // Blocks until the event and its deliveries are durable. Throws PublishError
  // for bad input (unknown type, unknown account, type not available for the
  // account, a body beyond kMaxEventBodyBytes), StoreError if the commit failed.
  StoredEvent publish(const PublishRequest& request);

  // publish() in two steps, so that no thread waits for the commit.
  // prepare: throws PublishError for bad input, StoreError if the account or
  // the routing could not be read.
  PreparedEvent prepare(const PublishRequest& request);
  // Queues the commit and returns; `done` runs on the group-commit writer's
  // thread once it is durable (nullptr) or failed (the StoreError). Throws
  // StoreError (and never calls `done`) if the writer is stopping.
  void commit_async(PreparedEvent prepared, GroupCommitWriter::Completion done);

  const std::string& api_version() const { return api_version_; }
  const std::string& platform_account_id() const { return platform_account_id_; }

 private:
  Clock& clock_;
  GroupCommitWriter& writer_;
  RoutingCache routing_;
  std::string platform_account_id_;
  std::string api_version_;
  std::function<void()> on_committed_;
};

}  // namespace hookline
