// Issue 10, item 7 (unbounded response size): what one event may hold once
// escaped, and what one page of GET /v1/events may hold.
#include <gtest/gtest.h>

#include <set>

#include "api_test_support.hpp"

namespace hookline::testing {
namespace {

class Issue10UnboundedResponseSize : public ApiTest {
 protected:
  // POST /v1/events, form-encoded as the transport decodes it: a customer
  // whose description is `control_bytes` bytes of \x01 (six bytes each in JSON).
  api::ApiResponse publish_control_bytes(std::size_t control_bytes) {
    json::object object{{"id", "cus_" + std::to_string(++published_)},
                        {"object", "customer"},
                        {"description", std::string(control_bytes, '\x01')}};
    json::object params{{"type", "customer.created"}, {"data", {{"object", object}}}};
    return api::handle_call(context_, make_call("POST", "/v1/events", json::serialize(params)));
  }
  // GET /v1/events with the given page parameters: the list object and its size.
  json::object list(const std::string& params_json, std::size_t* bytes = nullptr) {
    const api::ApiResponse response = raw("GET", "/v1/events", params_json);
    EXPECT_EQ(response.status, 200) << response.body.substr(0, 300);
    if (bytes != nullptr) *bytes = response.body.size();
    return json::parse(response.body).as_object();
  }
  int published_ = 0;
};

TEST_F(Issue10UnboundedResponseSize, AnEventBeyondOneMebibyteOnceEscapedIsRefused) {
  // 180,000 control bytes are 1,080,000 bytes once escaped.
  try {
    publish_control_bytes(180'000);
    ADD_FAILURE() << "a 1,080,000-byte event was accepted";
  } catch (const api::ApiError& error) {
    EXPECT_EQ(error.status(), 400);
    EXPECT_EQ(error.param(), "data[object]");
    EXPECT_NE(std::string(error.what()).find("at most 1048576 bytes"), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(list("{}").at("data").as_array().size(), 0u);  // nothing was stored

  // 170,000 are 1,020,000 bytes: within the limit.
  const api::ApiResponse accepted = publish_control_bytes(170'000);
  EXPECT_EQ(accepted.status, 200);
  EXPECT_GT(accepted.body.size(), 1'020'000u);
  EXPECT_LE(accepted.body.size(), kMaxEventBodyBytes);
}

TEST_F(Issue10UnboundedResponseSize, APageEndsAtFourMebibytesAndPagingStillGetsEveryEvent) {
  // Twelve events of about 900 KB, three small ones between them.
  std::vector<std::string> ids;  // oldest first
  for (int i = 0; i < 15; ++i) {
    const api::ApiResponse response = publish_control_bytes(i % 5 == 2 ? 10 : 150'000);
    ASSERT_EQ(response.status, 200);
    ids.push_back(str(json::parse(response.body).at("id")));
    clock_.advance_ms(1000);
  }

  std::size_t bytes = 0;
  json::object page = list(R"({"limit":"100"})", &bytes);
  EXPECT_TRUE(page.at("has_more").as_bool());
  EXPECT_LT(page.at("data").as_array().size(), 15u);
  EXPECT_LE(bytes, std::size_t{4 << 20} + 200);  // the events, and the list's own few bytes

  // Newest first, page after page, as the SDKs' auto-pagination walks it.
  std::vector<std::string> seen;
  std::string params = R"({"limit":"100"})";
  for (int pages = 0; pages < 20; ++pages) {
    page = list(params, &bytes);
    EXPECT_LE(bytes, std::size_t{4 << 20} + 200);
    for (const json::value& event : page.at("data").as_array()) seen.push_back(str(event.at("id")));
    if (!page.at("has_more").as_bool()) break;
    params = R"({"limit":"100","starting_after":")" + seen.back() + R"("})";
  }
  const std::vector<std::string> newest_first(ids.rbegin(), ids.rend());
  EXPECT_EQ(seen, newest_first);

  // And backwards, from the oldest, with ending_before.
  seen.clear();
  std::string cursor = ids.front();
  for (int pages = 0; pages < 20; ++pages) {
    page = list(R"({"limit":"100","ending_before":")" + cursor + R"("})");
    const json::array& data = page.at("data").as_array();
    for (auto it = data.rbegin(); it != data.rend(); ++it) seen.push_back(str(it->at("id")));
    if (!page.at("has_more").as_bool() || data.empty()) break;
    cursor = str(data.front().at("id"));
  }
  EXPECT_EQ(seen, std::vector<std::string>(ids.begin() + 1, ids.end()));
}

}  // namespace
}  // namespace hookline::testing
