// Issue 14: the dashboard is served at / by the server itself, locked down by
// its headers: a strict Content-Security-Policy (no inline code, no framing),
// nosniff, caching by content hash; the API stays under /v1.
#include <gtest/gtest.h>

#include <regex>

#include "api_http/api_http_test_support.hpp"
#include "dashboard/dashboard_assets.hpp"

namespace hookline::api::testing {
namespace {

class DashboardHttp : public ApiServerTest {
 protected:
  void SetUp() override { start(); }

  // The /assets/… paths index.html names, in order.
  static std::vector<std::string> asset_paths(const std::string& html) {
    std::vector<std::string> paths;
    const std::regex named(R"re((?:src|href)="(/assets/[^"]+)")re");
    for (std::sregex_iterator it(html.begin(), html.end(), named), end; it != end; ++it) {
      paths.push_back((*it)[1]);
    }
    return paths;
  }
};

TEST_F(DashboardHttp, TheRootIsThePageWithAStrictPolicyAndNoInlineCode) {
  HttpClient client(port());
  const HttpResult page = client.get("/");
  ASSERT_EQ(page.status, 200) << page.error;
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  const std::string policy = page.header("content-security-policy");
  EXPECT_NE(policy.find("default-src 'self'"), std::string::npos) << policy;
  EXPECT_NE(policy.find("script-src 'self';"), std::string::npos) << policy;
  EXPECT_NE(policy.find("style-src 'self';"), std::string::npos) << policy;
  EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("unsafe-eval"), std::string::npos) << policy;
  EXPECT_EQ(page.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(page.header("x-frame-options"), "DENY");
  EXPECT_EQ(page.header("cache-control"), "no-cache");
  EXPECT_FALSE(page.header("etag").empty());
  // No inline script or style for the policy to have to allow.
  EXPECT_FALSE(std::regex_search(page.body, std::regex("<script(?![^>]*\\bsrc=)")));
  EXPECT_EQ(page.body.find("<style"), std::string::npos);
  EXPECT_EQ(page.body.find(" style="), std::string::npos);
  EXPECT_EQ(client.get("/index.html").body, page.body);
}

TEST_F(DashboardHttp, TheBundleIsServedByContentHashAndCachedForever) {
  HttpClient client(port());
  const std::vector<std::string> paths = asset_paths(client.get("/").body);
  ASSERT_EQ(paths.size(), 3u);  // icon, stylesheet, script
  bool script = false, style = false;
  for (const std::string& path : paths) {
    const HttpResult asset = client.get(path);
    EXPECT_EQ(asset.status, 200) << path;
    EXPECT_FALSE(asset.body.empty()) << path;
    EXPECT_EQ(asset.header("cache-control"), "public, max-age=31536000, immutable") << path;
    EXPECT_EQ(asset.header("x-content-type-options"), "nosniff") << path;
    EXPECT_TRUE(std::regex_search(path, std::regex("-[0-9a-f]{16}\\.(js|css|svg)$"))) << path;
    script = script || asset.header("content-type") == "text/javascript; charset=utf-8";
    style = style || asset.header("content-type") == "text/css; charset=utf-8";
  }
  EXPECT_TRUE(script);
  EXPECT_TRUE(style);
}

TEST_F(DashboardHttp, UnknownPathsAndOtherMethodsAreNotThePage) {
  HttpClient client(port());
  EXPECT_EQ(client.get("/assets/app-0000000000000000.js").status, 404);
  EXPECT_EQ(client.get("/nope").status, 404);
  EXPECT_EQ(client.post("/", "a=b").status, 404);
  // The API is where it was.
  const HttpResult api = client.get("/v1/webhook_endpoints", {bearer()});
  EXPECT_EQ(api.status, 200);
  EXPECT_EQ(api.header("content-type"), "application/json");
  EXPECT_TRUE(api.header("content-security-policy").empty());
  EXPECT_EQ(client.get("/healthz").status, 200);
}

TEST(DashboardAssets, IndexComesFirstAndEveryAssetHasATypeAndAnEtag) {
  const auto& assets = dashboard::embedded_assets();
  ASSERT_GE(assets.size(), 4u);
  EXPECT_EQ(assets.front().path, "/");
  for (const dashboard::Asset& asset : assets) {
    EXPECT_FALSE(asset.content_type.empty()) << asset.path;
    EXPECT_EQ(asset.etag.size(), 18u) << asset.path;
    EXPECT_EQ(asset.immutable, asset.path != "/") << asset.path;
  }
  EXPECT_EQ(dashboard::find_asset("/index.html"), &assets.front());
  EXPECT_EQ(dashboard::find_asset("/missing"), nullptr);
}

}  // namespace
}  // namespace hookline::api::testing
