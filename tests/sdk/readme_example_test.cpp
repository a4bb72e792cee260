// The README's SDK sample compiles (readme_example.cpp), works, and is what the
// README shows.
#include "readme_example.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include "hookline/webhook.hpp"
#include "sdk_test_support.hpp"

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ReadmeExample, IsWhatTheReadmeShows) {
  const std::string source = read_file(HOOKLINE_SOURCE_DIR "/tests/sdk/readme_example.cpp");
  const std::string begin = "// readme:begin\n";
  const std::size_t from = source.find(begin);
  const std::size_t to = source.find("// readme:end");
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  const std::string snippet = source.substr(from + begin.size(), to - from - begin.size());
  const std::string readme = read_file(HOOKLINE_SOURCE_DIR "/README.md");
  EXPECT_NE(readme.find("```cpp\n" + snippet + "```\n"), std::string::npos)
      << "README.md must show tests/sdk/readme_example.cpp's sample verbatim:\n"
      << snippet;
}

TEST(ReadmeExample, AnswersLikeAReceiver) {
  const std::string secret = "whsec_readme";
  const std::string body = hookline::testing::event_json();
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  testing::internal::CaptureStdout();
  EXPECT_EQ(handle_webhook(body, hookline::generate_test_header(body, secret, now), secret), 200);
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "PaymentIntent pi_1 succeeded on acct_1\n");
  EXPECT_EQ(handle_webhook(body, hookline::generate_test_header(body, "whsec_x", now), secret),
            400);
  EXPECT_EQ(handle_webhook("[]", hookline::generate_test_header("[]", secret, now), secret), 400);
}

}  // namespace
