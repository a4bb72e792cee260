// Issue 10, item 6 (two servers on one data directory): the directory's lock.
#include "server/data_dir_lock.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace hookline {
namespace {

class Issue10TwoServersOneDataDir : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/hookline-lock-test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The message of the error that taking the lock throws; nullopt if it is taken.
  std::optional<std::string> refusal(const std::string& dir) {
    try {
      DataDirLock lock(dir);
      return std::nullopt;
    } catch (const std::runtime_error& error) {
      return std::string(error.what());
    }
  }

  std::string dir_;
};

TEST_F(Issue10TwoServersOneDataDir, ASecondHolderIsRefusedWithTheDirectoryAndThePid) {
  DataDirLock first(dir_);
  const std::optional<std::string> message = refusal(dir_);
  ASSERT_TRUE(message.has_value());
  EXPECT_NE(message->find("the data directory " + dir_ + " is in use by another hookline server"),
            std::string::npos)
      << *message;
  EXPECT_NE(message->find("(pid " + std::to_string(getpid()) + ")"), std::string::npos) << *message;
}

TEST_F(Issue10TwoServersOneDataDir, TheLockIsFreeAgainOnceReleased) {
  { DataDirLock first(dir_); }
  EXPECT_EQ(refusal(dir_), std::nullopt);
  DataDirLock again(dir_);
  EXPECT_TRUE(std::filesystem::exists(again.path()));
}

TEST_F(Issue10TwoServersOneDataDir, OtherDirectoriesAreNotLocked) {
  DataDirLock first(dir_);
  const std::string other = dir_ + "/other";
  std::filesystem::create_directory(other);
  EXPECT_EQ(refusal(other), std::nullopt);
}

TEST_F(Issue10TwoServersOneDataDir, AMissingDirectoryIsAClearError) {
  const std::optional<std::string> message = refusal(dir_ + "/missing");
  ASSERT_TRUE(message.has_value());
  EXPECT_NE(message->find("cannot open the lock file " + dir_ + "/missing/hookline.lock"),
            std::string::npos)
      << *message;
}

}  // namespace
}  // namespace hookline
