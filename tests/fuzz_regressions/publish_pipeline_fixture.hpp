#pragma once
// The request path a fuzz regression replays: a RequestPipeline with the real
// resources over a SQLite store holding one platform account.
#include <gtest/gtest.h>

#include <string>

#include "api/api_context.hpp"
#include "api/http/request_pipeline.hpp"
#include "core/clock.hpp"
#include "events/event_publisher.hpp"
#include "store/group_commit.hpp"
#include "store/platform_identity.hpp"
#include "store/store_test_support.hpp"

namespace hookline::api::testing {

class PublishPipelineFixture : public hookline::testing::StoreTest {
 protected:
  static constexpr const char* kKey = "sk_test_51RegressionKey00000000000000000001";
  static constexpr const char* kPlatform = "acct_platform";

  PublishPipelineFixture() {
    identity_.account_id = kPlatform;
    identity_.test_secret_key = kKey;
    identity_.live_secret_key = "sk_live_51RegressionKey00000000000000000002";
    store().put_account(hookline::testing::make_account(kPlatform, AccountType::kPlatform));
  }

  // POST /v1/events with a JSON `body`, as the platform.
  ApiResponse publish(const std::string& body, const std::string& idempotency_key = {}) {
    const std::string authorization = std::string("Bearer ") + kKey;
    HttpRequestView view;
    view.method = "POST";
    view.target = "/v1/events";
    view.authorization = authorization;
    view.content_type = "application/json";
    view.idempotency_key = idempotency_key;
    view.body = body;
    return pipeline_.handle(view);
  }

  // The platform's events in the store.
  std::size_t events_kept() {
    EventFilter filter;
    filter.account_id = kPlatform;
    return store().list_events(filter, {}).items.size();
  }

  ManualClock clock_;
  GroupCommitWriter writer_{store()};
  EventPublisher publisher_{store(), clock_, writer_, kPlatform, "2026-10-28.endive"};
  PlatformIdentity identity_;
  ApiContext context_{store(), clock_, publisher_, identity_, nullptr, nullptr};
  RequestPipeline pipeline_{
      context_, [this](const ApiCall& call) { return handle_call(context_, call); }, false};
};

}  // namespace hookline::api::testing
