#include "core/ids.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace hookline {
namespace {

bool alphanumeric(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isalnum(c) != 0; });
}

TEST(IdsTest, NewEventIdIsPrefixAnd24Alphanumerics) {
  const std::string id = new_id("evt");
  ASSERT_EQ(id.size(), 4u + 24u);
  EXPECT_EQ(id.substr(0, 4), "evt_");
  EXPECT_TRUE(alphanumeric(id.substr(4)));
  EXPECT_NE(new_id("evt"), id);
}

TEST(IdsTest, SortableIdHasTheSameShape) {
  const std::string id = new_sortable_id("evt", 1'767'225'600'123);
  ASSERT_EQ(id.size(), 4u + 24u);
  EXPECT_EQ(id.substr(0, 4), "evt_");
  EXPECT_TRUE(alphanumeric(id.substr(4)));
  // The random part differs between two ids of the same millisecond.
  EXPECT_NE(new_sortable_id("evt", 1'767'225'600'123), id);
}

TEST(IdsTest, SortableIdsOfLaterTimesSortAfter) {
  const int64_t times[] = {0, 1, 61, 62, 3'843, 1'767'225'600'000, 1'767'225'600'001,
                           1'767'225'601'000, 4'102'444'800'000};
  std::string previous;
  for (const int64_t ms : times) {
    const std::string id = new_sortable_id("evt", ms);
    if (!previous.empty()) {
      EXPECT_LT(previous, id) << ms;
    }
    previous = id;
  }
  // The time part is fixed-width base 62: 62 ms is "00000010".
  EXPECT_EQ(new_sortable_id("x", 62).substr(2, 8), "00000010");
  EXPECT_EQ(new_sortable_id("x", -5).substr(2, 8), "00000000");  // clamped
}

// Random bytes are drawn a block at a time per thread: a forked child must
// not hand out the ids its parent is about to (the same block copied).
TEST(IdsTest, AForkedChildDrawsOtherIdsThanItsParent) {
  (void)new_id("evt");  // this thread now holds a block with bytes left
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string id = new_id("evt");
    const bool written =
        write(pipe_ends[1], id.data(), id.size()) == static_cast<ssize_t>(id.size());
    _exit(written ? 0 : 1);
  }
  close(pipe_ends[1]);
  const std::string parent_id = new_id("evt");
  char child_id[64] = {};
  const ssize_t n = read(pipe_ends[0], child_id, sizeof child_id);
  close(pipe_ends[0]);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_EQ(n, static_cast<ssize_t>(parent_id.size()));
  EXPECT_NE(std::string(child_id, static_cast<std::size_t>(n)), parent_id);
}

TEST(IdsTest, ThreadsDrawDistinctIds) {
  std::vector<std::string> ids[4];
  std::vector<std::thread> threads;
  for (auto& mine : ids) {
    threads.emplace_back([&mine] {
      for (int i = 0; i < 2000; ++i) mine.push_back(new_id("req"));
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> all;
  for (const auto& mine : ids) all.insert(mine.begin(), mine.end());
  EXPECT_EQ(all.size(), 8000u);
}

// Issue 12 item 9: Stripe's id lengths, per prefix.
TEST(IdsTest, IdsHaveStripesLengths) {
  const struct {
    const char* prefix;
    std::size_t length;
  } kCases[] = {{"acct", 16}, {"req", 14}, {"ca", 32}, {"evt", 24}, {"we", 24}, {"whsec", 32}};
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.prefix);
    EXPECT_EQ(id_length(c.prefix), c.length);
    const std::string id = new_id(c.prefix);
    const std::string prefix = std::string(c.prefix) + "_";
    ASSERT_EQ(id.size(), prefix.size() + c.length);
    EXPECT_EQ(id.substr(0, prefix.size()), prefix);
    EXPECT_TRUE(alphanumeric(id.substr(prefix.size())));
  }
  EXPECT_EQ(new_webhook_secret().size(), 6u + 32u);
  EXPECT_EQ(new_sortable_id("evt", 1).size(), 4u + 24u);
}

TEST(IdsTest, DerivedIdIsAFunctionOfItsSeed) {
  const std::string id = derived_id("ca", "acct_1234567890abcdef");
  ASSERT_EQ(id.size(), 3u + 32u);
  EXPECT_EQ(id.substr(0, 3), "ca_");
  EXPECT_TRUE(alphanumeric(id.substr(3)));
  EXPECT_EQ(derived_id("ca", "acct_1234567890abcdef"), id);
  EXPECT_NE(derived_id("ca", "acct_1234567890abcdeg"), id);
}

}  // namespace
}  // namespace hookline
