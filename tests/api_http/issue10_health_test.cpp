// Issue 10 item 8, the HTTP side: GET /readyz reflects the store (a read and a
// commit), HEAD /healthz and HEAD /readyz answer like GET without a body, and
// /metrics reports its gauges (pending deliveries, free space of the data dir)
// from memory.
#include <gtest/gtest.h>

#include "api/http/readiness.hpp"
#include "api_http_test_support.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace hookline::api::testing {
namespace {

class Issue10Health : public ApiServerTest {
 protected:
  void SetUp() override {
    metrics_.report_free_space([] { return std::optional<uint64_t>(123456789); });
    start();
  }

  // Every write to settings (the readiness probe's) fails, as on a full disk.
  void break_writes() {
    sqlite::SqliteConnection raw(db_path());
    raw.exec(
        "CREATE TRIGGER refuse_insert BEFORE INSERT ON settings BEGIN "
        "SELECT RAISE(ABORT, 'database or disk is full (simulated)'); END;"
        "CREATE TRIGGER refuse_update BEFORE UPDATE ON settings BEGIN "
        "SELECT RAISE(ABORT, 'database or disk is full (simulated)'); END;");
  }
  void repair_writes() {
    sqlite::SqliteConnection raw(db_path());
    raw.exec("DROP TRIGGER refuse_insert; DROP TRIGGER refuse_update;");
  }
};

TEST_F(Issue10Health, ReadyzIsReadyWhenTheStoreReadsAndCommits) {
  HttpClient client(port());
  const HttpResult result = client.get("/readyz");
  EXPECT_EQ(result.status, 200) << result.body << result.error;
  EXPECT_EQ(result.body, R"({"status":"ready"})");
  EXPECT_EQ(result.header("request-id").substr(0, 4), "req_");
  EXPECT_EQ(store().get_setting("readiness_probe"), "1");
  EXPECT_EQ(call_count(), 0u);
}

TEST_F(Issue10Health, ReadyzIs503WithTheReasonWhileWritesFailAndHealthzStaysOk) {
  HttpClient client(port());
  ASSERT_EQ(client.get("/readyz").status, 200);
  break_writes();
  // Within the interval the last answer stands (the probe writes and syncs).
  EXPECT_EQ(client.get("/readyz").status, 200);
  clock_.advance_ms(Readiness::kDefaultIntervalMs);
  const HttpResult broken = client.get("/readyz");
  EXPECT_EQ(broken.status, 503) << broken.body;
  EXPECT_EQ(broken.json().at("status"), "unavailable");
  const std::string reason(broken.json().at("reason").as_string());
  EXPECT_NE(reason.find("the store cannot commit"), std::string::npos) << reason;
  EXPECT_NE(reason.find("disk is full (simulated)"), std::string::npos) << reason;
  EXPECT_EQ(client.get("/healthz").status, 200);  // alive all the same

  repair_writes();
  clock_.advance_ms(Readiness::kDefaultIntervalMs);
  EXPECT_EQ(client.get("/readyz").status, 200);
}

TEST_F(Issue10Health, HeadHealthzAndReadyzAnswerLikeGetWithoutABody) {
  for (const std::string path : {"/healthz", "/readyz"}) {
    HttpClient client(port());
    const HttpResult get = client.get(path);
    ASSERT_EQ(get.status, 200) << path;
    RawConnection connection(port());
    ASSERT_TRUE(
        connection.send("HEAD " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    const std::string answer = connection.read_all();
    EXPECT_EQ(answer.substr(0, 15), "HTTP/1.1 200 OK") << answer;
    EXPECT_NE(answer.find("Content-Length: " + std::to_string(get.body.size()) + "\r\n"),
              std::string::npos)
        << answer;
    EXPECT_NE(answer.find("Content-Type: application/json\r\n"), std::string::npos) << answer;
    // Nothing after the head.
    EXPECT_EQ(answer.find("\r\n\r\n"), answer.size() - 4) << answer;
  }
}

TEST_F(Issue10Health, MetricsReportPendingDeliveriesAndFreeSpaceOfTheDataDir) {
  store().insert_events({hookline::testing::make_event("evt_1", "acct_c", 1, {"we_a", "we_b"})});
  HttpClient client(port());
  const HttpResult result = client.get("/metrics");
  ASSERT_EQ(result.status, 200);
  EXPECT_NE(result.body.find("hookline_deliveries_pending 2\n"), std::string::npos) << result.body;
  EXPECT_NE(result.body.find("# TYPE hookline_data_dir_free_bytes gauge\n"
                             "hookline_data_dir_free_bytes 123456789\n"),
            std::string::npos)
      << result.body;
}

}  // namespace
}  // namespace hookline::api::testing
