#include "request_scanner.hpp"

#include <gtest/gtest.h>

#include <string>

namespace bench {
namespace {

using Status = ScannedRequest::Status;

const std::string kPost = "POST /p1 HTTP/1.1\r\nHost: x\r\ncontent-LENGTH: 5\r\n\r\nhello";

TEST(RequestScanner, AHeadAndItsContentLengthMakeOneRequest) {
  const ScannedRequest r = scan_request(kPost);
  EXPECT_EQ(r.status, Status::kComplete);
  EXPECT_EQ(r.length, kPost.size());
  EXPECT_FALSE(r.is_count);
  EXPECT_FALSE(r.close);
}

TEST(RequestScanner, WaitsForTheHeadAndForTheWholeBody) {
  for (std::size_t cut = 0; cut < kPost.size(); ++cut) {
    EXPECT_EQ(scan_request(std::string_view(kPost).substr(0, cut)).status, Status::kIncomplete)
        << "after " << cut << " bytes";
  }
}

TEST(RequestScanner, StopsAtTheEndOfTheFirstOfPipelinedRequests) {
  const std::string two = kPost + "GET /count HTTP/1.1\r\n\r\n";
  const ScannedRequest first = scan_request(two);
  ASSERT_EQ(first.status, Status::kComplete);
  EXPECT_EQ(first.length, kPost.size());
  const ScannedRequest second = scan_request(std::string_view(two).substr(first.length));
  ASSERT_EQ(second.status, Status::kComplete);
  EXPECT_TRUE(second.is_count);
  EXPECT_EQ(second.length, two.size() - kPost.size());
}

TEST(RequestScanner, NoContentLengthMeansNoBody) {
  const std::string get = "GET /x HTTP/1.1\r\nConnection: close\r\n\r\n";
  const ScannedRequest r = scan_request(get + "GET");
  EXPECT_EQ(r.status, Status::kComplete);
  EXPECT_EQ(r.length, get.size());
  EXPECT_TRUE(r.close);
  EXPECT_FALSE(r.is_count);
}

TEST(RequestScanner, RefusesWhatItCannotFindTheEndOf) {
  EXPECT_EQ(scan_request("POST / HTTP/1.1\r\nContent-Length: 5x\r\n\r\n").status, Status::kInvalid);
  EXPECT_EQ(
      scan_request("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n").status,
      Status::kInvalid);
  EXPECT_EQ(scan_request("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").status,
            Status::kInvalid);
  EXPECT_EQ(scan_request(std::string(kMaxHeadBytes + 1, 'a')).status, Status::kInvalid);
  EXPECT_EQ(scan_request(std::string(kMaxHeadBytes, 'a')).status, Status::kIncomplete);
}

}  // namespace
}  // namespace bench
