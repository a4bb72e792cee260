// Issue 14: the dashboard's files answer a matching If-None-Match with 304 Not
// Modified and no body, so a browser revalidating the page (Cache-Control:
// no-cache) gets it without downloading it again.
#include <gtest/gtest.h>

#include "api/http/dashboard_response.hpp"
#include "api_http/api_http_test_support.hpp"
#include "dashboard/dashboard_assets.hpp"

namespace hookline::api::testing {
namespace {

class DashboardEtag : public ApiServerTest {
 protected:
  void SetUp() override { start(); }
};

TEST_F(DashboardEtag, AMatchingIfNoneMatchIsNotModifiedWithoutABody) {
  HttpClient client(port());
  const HttpResult page = client.get("/");
  ASSERT_EQ(page.status, 200) << page.error;
  const std::string etag = page.header("etag");
  ASSERT_FALSE(etag.empty());

  const HttpResult again = client.get("/", {"If-None-Match: " + etag});
  EXPECT_EQ(again.status, 304) << again.error;
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.header("etag"), etag);
  EXPECT_EQ(again.header("cache-control"), "no-cache");
  EXPECT_FALSE(again.header("content-security-policy").empty());
  // The connection goes on after a 304 (it has no body to frame).
  EXPECT_EQ(client.get("/healthz").status, 200);

  // A list holding it, a weak form of it, or "*" match too; another tag does not.
  EXPECT_EQ(client.get("/", {"If-None-Match: \"0000000000000000\", " + etag}).status, 304);
  EXPECT_EQ(client.get("/", {"If-None-Match: W/" + etag}).status, 304);
  EXPECT_EQ(client.get("/", {"If-None-Match: *"}).status, 304);
  const HttpResult other = client.get("/", {"If-None-Match: \"0000000000000000\""});
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.body, page.body);
}

TEST_F(DashboardEtag, TheBundlesFilesAreRevalidatedByTheirOwnTags) {
  HttpClient client(port());
  const HttpResult page = client.get("/");
  std::vector<std::string> etags;
  for (const dashboard::Asset& asset : dashboard::embedded_assets()) {
    if (asset.path == "/") continue;
    const std::string path(asset.path);
    const HttpResult full = client.get(path);
    ASSERT_EQ(full.status, 200) << path;
    EXPECT_EQ(full.header("etag"), std::string(asset.etag)) << path;
    const HttpResult cached = client.get(path, {"If-None-Match: " + full.header("etag")});
    EXPECT_EQ(cached.status, 304) << path;
    EXPECT_TRUE(cached.body.empty()) << path;
    // The page's tag is not the file's.
    EXPECT_EQ(client.get(path, {"If-None-Match: " + page.header("etag")}).status, 200) << path;
  }
}

TEST(DashboardEtagMatch, ListsWeakTagsAndTheWildcard) {
  EXPECT_TRUE(etag_matches("\"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches(" \"x\" ,\t\"abc\" ", "\"abc\""));
  EXPECT_TRUE(etag_matches("W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("*", "\"abc\""));
  EXPECT_FALSE(etag_matches("\"abcd\"", "\"abc\""));
  EXPECT_FALSE(etag_matches("abc", "\"abc\""));
  EXPECT_FALSE(etag_matches(",", "\"abc\""));
}

}  // namespace
}  // namespace hookline::api::testing
