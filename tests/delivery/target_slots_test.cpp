#include "delivery/target_slots.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace hookline::delivery {
namespace {

using Admission = TargetSlots::Admission;
constexpr int64_t kWindow = 100;

TargetSlots make_slots(std::size_t per_target) {
  return TargetSlots(TargetSlotsOptions{per_target, kWindow, 1'000, 8'000});
}

std::vector<int64_t> ids(const std::vector<TargetSlots::Deferred>& deferred) {
  std::vector<int64_t> out;
  for (const auto& item : deferred) out.push_back(item.id);
  return out;
}

TEST(TargetSlotsTest, StartsUpToTheLimitPerTargetThenQueues) {
  TargetSlots slots = make_slots(2);
  EXPECT_EQ(slots.admit("a", 1, 0), Admission::kStart);
  EXPECT_EQ(slots.admit("a", 2, 0), Admission::kStart);
  EXPECT_EQ(slots.admit("a", 3, 0), Admission::kWait);
  EXPECT_EQ(slots.admit("b", 4, 0), Admission::kStart);  // another target is not held back
  EXPECT_EQ(slots.in_flight(), 3u);
  EXPECT_EQ(slots.waiting(), 1u);
}

TEST(TargetSlotsTest, ACompletionStartsTheOldestWaitingItem) {
  TargetSlots slots = make_slots(1);
  slots.admit("a", 1, 0);
  slots.admit("a", 2, 0);
  slots.admit("a", 3, 0);
  EXPECT_EQ(slots.complete("a", true, 1), std::optional<int64_t>(2));
  EXPECT_EQ(slots.complete("a", true, 2), std::optional<int64_t>(3));
  EXPECT_EQ(slots.complete("a", true, 3), std::nullopt);
  EXPECT_EQ(slots.in_flight(), 0u);
  EXPECT_EQ(slots.waiting(), 0u);
  EXPECT_EQ(slots.admit("a", 4, 4), Admission::kStart);
}

TEST(TargetSlotsTest, ATargetThatAnswersNothingKeepsNoneWaitingAfterAWindow) {
  TargetSlots slots = make_slots(2);
  slots.admit("dead", 1, 0);
  slots.admit("dead", 2, 0);  // saturated at 0
  for (int64_t id = 3; id < 10; ++id) EXPECT_EQ(slots.admit("dead", id, 50), Admission::kWait);
  // A whole window saturated without a single completion: everything waiting goes back.
  const std::vector<TargetSlots::Deferred> deferred = slots.trim(kWindow);
  EXPECT_EQ(ids(deferred), (std::vector<int64_t>{9, 8, 7, 6, 5, 4, 3}));  // newest first
  EXPECT_EQ(deferred[0].delay_ms, 1'000);
  EXPECT_EQ(slots.waiting(), 0u);
  EXPECT_EQ(slots.admit("dead", 10, kWindow + 1), Admission::kDefer);
  EXPECT_EQ(slots.admit("alive", 11, kWindow + 1), Admission::kStart);
  EXPECT_EQ(slots.in_flight(), 3u);
}

TEST(TargetSlotsTest, ASlowTargetKeepsFourWindowsOfWhatItCompletes) {
  TargetSlots slots = make_slots(1);
  slots.admit("slow", 1, 0);
  int64_t next_id = 2;
  for (int i = 0; i < 30; ++i) slots.admit("slow", next_id++, 0);
  // Three completions during the first window.
  slots.complete("slow", true, 10);
  slots.complete("slow", true, 40);
  slots.complete("slow", true, 70);
  EXPECT_EQ(slots.waiting(), 27u);
  // Next window: it may keep 4 x 3 waiting.
  const std::vector<TargetSlots::Deferred> deferred = slots.trim(kWindow + 10);
  EXPECT_EQ(deferred.size(), 15u);
  EXPECT_EQ(slots.waiting(), 12u);
  EXPECT_EQ(slots.admit("slow", next_id++, kWindow + 20), Admission::kDefer);
}

TEST(TargetSlotsTest, AFastTargetKeepsItsLineWhileItDrains) {
  TargetSlots slots = make_slots(4);
  int64_t id = 1;
  for (int i = 0; i < 100; ++i) slots.admit("fast", id++, 0);
  EXPECT_EQ(slots.waiting(), 96u);
  int64_t now = 0;
  for (int i = 0; i < 60; ++i) slots.complete("fast", true, now += 2);  // 60 in 120 ms
  EXPECT_TRUE(slots.trim(now).empty());  // 4 x 49 per window exceeds the 36 waiting
  EXPECT_EQ(slots.waiting(), 36u);
}

TEST(TargetSlotsTest, CompletionsAfterAStallCountForTheCurrentWindow) {
  TargetSlots slots = make_slots(2);
  for (int64_t id = 1; id <= 22; ++id) slots.admit("a", id, 0);
  // The caller was held up for several windows, then sees 4 completions at once.
  for (int i = 0; i < 4; ++i) slots.complete("a", true, 1'000);
  EXPECT_TRUE(slots.trim(1'000).empty());  // 16 waiting, 4 x 4 allowed
  EXPECT_EQ(slots.waiting(), 16u);
}

TEST(TargetSlotsTest, ATargetMakingProgressKeepsAtLeastItsSlotsWorth) {
  TargetSlots slots = make_slots(8);
  for (int64_t id = 1; id <= 30; ++id) slots.admit("a", id, 0);
  slots.complete("a", true, 50);  // one answer in the window
  EXPECT_EQ(slots.trim(kWindow).size(), 13u);  // 21 waiting, 8 kept
  EXPECT_EQ(slots.waiting(), 8u);
}

TEST(TargetSlotsTest, NoLimitOnWaitingDuringTheFirstWindowOfSaturation) {
  TargetSlots slots = make_slots(1);
  slots.admit("a", 1, 1000);
  for (int64_t id = 2; id < 500; ++id) EXPECT_EQ(slots.admit("a", id, 1050), Admission::kWait);
  EXPECT_TRUE(slots.trim(1099).empty());
}

TEST(TargetSlotsTest, AFreedSlotEndsSaturation) {
  TargetSlots slots = make_slots(2);
  slots.admit("a", 1, 0);
  slots.admit("a", 2, 0);
  EXPECT_EQ(slots.complete("a", true, 500), std::nullopt);  // nothing waiting: a slot is free
  EXPECT_EQ(slots.admit("a", 3, 600), Admission::kStart);
  // Saturated again only now, so waiting is allowed for a new window.
  EXPECT_EQ(slots.admit("a", 4, 650), Admission::kWait);
}

TEST(TargetSlotsTest, TakeAllWaitingEmptiesEveryLine) {
  TargetSlots slots = make_slots(1);
  slots.admit("a", 1, 0);
  slots.admit("a", 2, 0);
  slots.admit("a", 3, 0);
  slots.admit("b", 4, 0);
  slots.admit("b", 5, 0);
  std::vector<int64_t> all = slots.take_all_waiting();
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<int64_t>{2, 3, 5}));
  EXPECT_EQ(slots.waiting(), 0u);
  EXPECT_EQ(slots.in_flight(), 2u);
  EXPECT_EQ(slots.complete("a", true, 1), std::nullopt);
  EXPECT_EQ(slots.complete("unknown", true, 1), std::nullopt);
}

TEST(TargetSlotsTest, TheDeferralDoublesWhileTheTargetStaysBehind) {
  TargetSlots slots = make_slots(1);
  EXPECT_EQ(slots.defer_delay_ms("a", 0), 1'000);
  EXPECT_EQ(slots.defer_delay_ms("a", 500), 1'000);    // the same round
  EXPECT_EQ(slots.defer_delay_ms("a", 1'000), 2'000);  // they came back: still behind
  EXPECT_EQ(slots.defer_delay_ms("a", 2'999), 2'000);
  EXPECT_EQ(slots.defer_delay_ms("a", 3'000), 4'000);
  EXPECT_EQ(slots.defer_delay_ms("a", 7'000), 8'000);
  EXPECT_EQ(slots.defer_delay_ms("a", 15'000), 8'000);  // the maximum
  EXPECT_EQ(slots.defer_delay_ms("b", 15'000), 1'000);  // per target
}

TEST(TargetSlotsTest, TheDeferralStartsOverOnceTheTargetCatchesUp) {
  TargetSlots slots = make_slots(1);
  slots.admit("a", 1, 0);
  slots.admit("a", 2, 0);
  slots.defer_delay_ms("a", 0);
  EXPECT_EQ(slots.defer_delay_ms("a", 1'000), 2'000);
  EXPECT_EQ(slots.complete("a", true, 1'100), std::optional<int64_t>(2));  // still a line
  EXPECT_EQ(slots.defer_delay_ms("a", 1'200), 2'000);
  EXPECT_EQ(slots.complete("a", false, 1'300), std::nullopt);  // no line, but a failure
  EXPECT_EQ(slots.defer_delay_ms("a", 1'400), 2'000);
  slots.admit("a", 3, 1'500);
  EXPECT_EQ(slots.complete("a", true, 1'600), std::nullopt);  // no line, a 2xx: caught up
  EXPECT_EQ(slots.defer_delay_ms("a", 1'700), 1'000);
}

}  // namespace
}  // namespace hookline::delivery
