// `hookline listen --latest`: the query carries it, and the session's
// endpoints are pinned to the newest published API version (their deliveries'
// api_version), or to none (the platform's default) without it.
#include <gtest/gtest.h>

#include <filesystem>

#include "catalog/api_versions.hpp"
#include "listen/listen_protocol.hpp"
#include "listen/session_endpoints.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace hookline {
namespace {

TEST(ListenQueryLatestTest, RoundTripsAndDefaultsToOff) {
  listen::ListenQuery query;
  query.latest = true;
  EXPECT_EQ(listen::encode_listen_query(query), "events=%2A&latest=true");
  EXPECT_TRUE(listen::parse_listen_query("events=*&latest=true").latest);
  EXPECT_TRUE(listen::parse_listen_query("latest=1").latest);
  EXPECT_FALSE(listen::parse_listen_query("events=*").latest);
  EXPECT_FALSE(listen::parse_listen_query("latest=false").latest);
}

TEST(ListenQueryLatestTest, SessionEndpointsArePinnedToTheNewestVersionOnlyWithLatest) {
  std::string dir = (std::filesystem::temp_directory_path() / "hookline-latest-XXXXXX").string();
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  {
    std::unique_ptr<Store> store = open_sqlite_store(dir + "/hookline.db");
    Account platform;
    platform.id = "acct_platform";
    platform.type = AccountType::kPlatform;
    store->put_account(platform);
    SystemClock clock;
    const ListenClient client{"acct_platform", false, "sk_test_abc", "events=*"};
    const std::string newest(catalog::published_api_versions().back());

    listen::ListenQuery query;
    query.latest = true;
    const auto latest = listen::open_session_endpoints(*store, clock, client, true, query);
    ASSERT_EQ(latest.endpoints.size(), 2u);
    for (const WebhookEndpoint& endpoint : latest.endpoints) {
      EXPECT_EQ(store->get_endpoint(endpoint.id)->api_version, newest);
    }
    // The same key without --latest: the same endpoints, back to the platform's default.
    const auto plain = listen::open_session_endpoints(*store, clock, client, true, {});
    for (const WebhookEndpoint& endpoint : plain.endpoints) {
      EXPECT_EQ(store->get_endpoint(endpoint.id)->api_version, "");
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hookline
