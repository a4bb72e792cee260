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
// input or a missing resource; every other exception is a bug (500).
ApiResponse handle_call(ApiContext& context, const ApiCall& call);

}  // namespace hookline::api
