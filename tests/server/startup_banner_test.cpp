// Issue 12 item 11: the start-up banner shows both keys, the live one also
// when it came from HOOKLINE_LIVE_SECRET_KEY (masked, like any key from the
// environment); table-driven over where each key came from.
#include "server/startup_banner.hpp"

#include <gtest/gtest.h>

namespace hookline {
namespace {

constexpr const char* kTestKey = "sk_test_0123456789abcdefghijWXYZ";
constexpr const char* kLiveKey = "sk_live_0123456789abcdefghijKLMN";
constexpr const char* kTestMasked = "sk_test_********************WXYZ";
constexpr const char* kLiveMasked = "sk_live_********************KLMN";

TEST(StartupBannerTest, Issue12Item11KeysFromTheEnvironmentAreShownMasked) {
  struct Case {
    KeySource test_source;
    KeySource live_source;
    const char* test_shown;
    const char* live_shown;
    bool generated_note;
  };
  const Case cases[] = {
      {KeySource::kEnvironment, KeySource::kEnvironment, kTestMasked, kLiveMasked, false},
      {KeySource::kEnvironment, KeySource::kGenerated, kTestMasked, kLiveKey, true},
      {KeySource::kEnvironment, KeySource::kDataDir, kTestMasked, kLiveMasked, false},
      {KeySource::kGenerated, KeySource::kEnvironment, kTestKey, kLiveMasked, true},
      {KeySource::kGenerated, KeySource::kGenerated, kTestKey, kLiveKey, true},
      {KeySource::kDataDir, KeySource::kEnvironment, kTestKey, kLiveMasked, false},
      {KeySource::kDataDir, KeySource::kDataDir, kTestKey, kLiveMasked, false},
  };
  for (const Case& c : cases) {
    StartupBanner banner;
    banner.host = "127.0.0.1";
    banner.port = 7420;
    banner.platform_account_id = "acct_1";
    banner.store = "./data";
    banner.test_secret_key = kTestKey;
    banner.test_key_source = c.test_source;
    banner.live_secret_key = kLiveKey;
    banner.live_key_source = c.live_source;
    std::string expected =
        std::string("hookline listening on http://127.0.0.1:7420\n") +
        "  platform account  acct_1\n" + "  data directory    ./data\n" +
        "  test secret key   " + c.test_shown + "\n" + "  live secret key   " + c.live_shown + "\n";
    if (c.generated_note) {
      expected +=
          "  (generated and kept in the data directory; set HOOKLINE_SECRET_KEY and\n"
          "   HOOKLINE_LIVE_SECRET_KEY to choose your own)\n";
    }
    EXPECT_EQ(render_startup_banner(banner), expected)
        << static_cast<int>(c.test_source) << "/" << static_cast<int>(c.live_source);
  }
}

}  // namespace
}  // namespace hookline
