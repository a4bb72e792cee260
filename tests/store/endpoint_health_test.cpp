// How a batch of attempts folds into each endpoint's run of failures, the
// input of auto-disable (the same fold for every store).
#include "store/endpoint_health.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hookline {
namespace {

struct Step {
  const char* endpoint;
  bool success;
  int64_t at_ms;  // 0: the attempt has no time (now_ms applies)
};

struct Case {
  const char* name;
  std::vector<Step> steps;
  bool succeeded_in_batch;  // of endpoint "a"
  int64_t failing_since_ms;
};

TEST(EndpointHealthTest, FoldTable) {
  constexpr int64_t kNow = 9'000;
  const Case cases[] = {
      {"one success", {{"a", true, 100}}, true, 0},
      {"one failure", {{"a", false, 100}}, false, 100},
      {"failures keep the first time", {{"a", false, 100}, {"a", false, 200}}, false, 100},
      {"a success ends the run", {{"a", false, 100}, {"a", true, 200}}, true, 0},
      {"a run after a success starts anew",
       {{"a", false, 100}, {"a", true, 200}, {"a", false, 300}, {"a", false, 400}},
       true,
       300},
      {"an attempt without a time takes now", {{"a", false, 0}}, false, kNow},
      {"other endpoints do not count", {{"b", false, 50}, {"a", true, 60}, {"b", true, 70}},
       true,
       0},
  };
  for (const Case& c : cases) {
    EndpointHealthByEndpoint health;
    for (const Step& step : c.steps) {
      Attempt attempt;
      attempt.success = step.success;
      attempt.at_ms = step.at_ms;
      note_attempt(health, step.endpoint, attempt, kNow);
    }
    ASSERT_EQ(health.count("a"), 1u) << c.name;
    EXPECT_EQ(health["a"].succeeded_in_batch, c.succeeded_in_batch) << c.name;
    EXPECT_EQ(health["a"].failing_since_ms, c.failing_since_ms) << c.name;
  }
}

TEST(EndpointHealthTest, EndpointsWithoutAttemptsAreNotListed) {
  EndpointHealthByEndpoint health;
  Attempt failed;
  failed.at_ms = 1;
  note_attempt(health, "a", failed, 5);
  EXPECT_EQ(health.size(), 1u);
  EXPECT_FALSE(health.contains("b"));
}

}  // namespace
}  // namespace hookline
