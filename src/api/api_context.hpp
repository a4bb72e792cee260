#pragma once
// What the API's resources work with, and their single entry point.
#include "api/api_call.hpp"
#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "events/event_publisher.hpp"
#include "store/platform_identity.hpp"
#include "store/store.hpp"

namespace hookline {
class Dispatcher;
}

namespace hookline::api {

struct ApiContext {
  Store& store;
  Clock& clock;
  EventPublisher& publisher;
  const PlatformIdentity& identity;
  Dispatcher* dispatcher = nullptr;  // woken after a resend; may be null in tests
  Metrics* metrics = nullptr;        // may be null
};

// Routes one call to its resource (accounts, webhook_endpoints, events,
// oauth, objects carried by events) and answers it. Throws ApiError for bad
// input or a missing resource, StoreError if the store failed; every other
// exception is a bug (500). Blocks until the call's writes are durable.
ApiResponse handle_call(ApiContext& context, const ApiCall& call);

// handle_call without the wait: a call whose writes go through the group
// commit (POST /v1/events) answers with ApiResponse::commit set, for the
// caller to start (the HTTP transport answers from its completion).
ApiResponse start_call(ApiContext& context, const ApiCall& call);

// Starts `response.commit` (with `keep`) and waits for it: the response, or
// the commit's exception rethrown. A response without a commit is returned as is.
ApiResponse wait_for_commit(ApiResponse response, std::optional<IdempotentRecord> keep = {});

}  // namespace hookline::api
