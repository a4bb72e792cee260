// Issue 15: an unkeyed publish runs on the API's I/O thread only on a store
// whose account and routing reads are kept in memory without asking anyone
// (SQLite). On PostgreSQL every publish reads the database's routing
// generation, a round trip that must not block an I/O thread.
#include <gtest/gtest.h>

#include "api/api_context.hpp"
#include "api/http/request_pipeline.hpp"
#include "core/clock.hpp"
#include "events/event_publisher.hpp"
#include "store/group_commit.hpp"
#include "store/store_backends.hpp"

namespace hookline::api::testing {
namespace {

class PublishInlineTest : public hookline::testing::BackendStoreTest {
 protected:
  ManualClock clock_;
  GroupCommitWriter writer_{store()};
  EventPublisher publisher_{store(), clock_, writer_, "acct_platform", "2026-10-28.endive"};
  PlatformIdentity identity_;
  ApiContext context_{store(), clock_, publisher_, identity_, nullptr, nullptr};
};
HOOKLINE_STORE_BACKENDS(PublishInlineTest);

TEST_P(PublishInlineTest, OnTheIoThreadOnlyWhereNoReadLeavesTheProcess) {
  RequestPipeline pipeline(context_, [](const ApiCall&) { return ApiResponse{}; }, false);
  HttpRequestView publish;
  publish.method = "POST";
  publish.target = "/v1/events";
  publish.body = R"({"type":"payment_intent.succeeded","data":{"object":{"id":"pi_1"}}})";
  EXPECT_EQ(pipeline.answers_without_waiting(publish), !postgres());
}

}  // namespace
}  // namespace hookline::api::testing
