// The HTTP request path without sockets: the input is the bytes a client
// sends on one connection. They go through Beast's parser with the server's
// limits, as api_server.cpp reads them, and each whole request through the
// RequestPipeline and the real resources over a SQLite store. Property: every
// request gets a well-formed Stripe-shaped answer, or the connection is closed.
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

#include "api/api_server.hpp"
#include "api/http/beast_request_view.hpp"
#include "fuzz_api.hpp"

namespace http = boost::beast::http;
using hookline::api::ApiError;
using hookline::api::ApiResponse;
using hookline::fuzz::ApiUnderTest;
using hookline::fuzz::check_answer;

namespace {

// At most this many pipelined requests per input: more finds nothing new.
constexpr int kMaxRequests = 8;

enum class Read { kRequest, kHeadersTooLarge, kBodyTooLarge, kClose };

// Reads one request from `input` as HttpSession does (header part by part,
// counting its bytes; then the body), consuming what the parser used.
Read read_request(std::string_view& input, http::request_parser<http::string_body>& parser,
                  const hookline::api::ApiServerOptions& limits) {
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  parser.body_limit(limits.max_body_bytes);
  std::size_t header_bytes = 0;
  boost::beast::error_code ec;
  while (!parser.is_header_done()) {
    if (input.empty()) return Read::kClose;  // the client stopped mid-header
    const std::size_t used = parser.put(boost::asio::buffer(input.data(), input.size()), ec);
    input.remove_prefix(used);
    header_bytes += used;
    if (header_bytes > limits.max_header_bytes || ec == http::error::header_limit) {
      return Read::kHeadersTooLarge;
    }
    if (ec == http::error::body_limit) return Read::kBodyTooLarge;
    if (ec == http::error::need_more) {
      if (used == 0) return Read::kClose;  // all of the input is not a whole header
      ec = {};
    } else if (ec) {
      return Read::kClose;
    }
  }
  const auto length = parser.content_length();
  if (length && *length > limits.max_body_bytes) return Read::kBodyTooLarge;
  while (!parser.is_done()) {
    if (input.empty()) return Read::kClose;
    const std::size_t used = parser.put(boost::asio::buffer(input.data(), input.size()), ec);
    input.remove_prefix(used);
    if (ec == http::error::body_limit) return Read::kBodyTooLarge;
    if (ec == http::error::need_more) {
      if (used == 0) return Read::kClose;
      ec = {};
    } else if (ec) {
      return Read::kClose;
    }
  }
  return Read::kRequest;
}

void check_transport_error(const ApiResponse& response, int status) {
  if (response.status != status) hookline::fuzz::fail("expected " + std::to_string(status));
  check_answer(response);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ApiUnderTest& api = ApiUnderTest::instance();
  const hookline::api::ApiServerOptions limits;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  for (int i = 0; i < kMaxRequests && !input.empty(); ++i) {
    http::request_parser<http::string_body> parser;
    switch (read_request(input, parser, limits)) {
      case Read::kClose:
        return 0;
      case Read::kHeadersTooLarge:
        check_transport_error(
            api.pipeline().error_response(ApiError(431, "invalid_request_error", "too large")),
            431);
        return 0;
      case Read::kBodyTooLarge:
        check_transport_error(
            api.pipeline().error_response(ApiError(413, "invalid_request_error", "too large")),
            413);
        return 0;
      case Read::kRequest:
        break;
    }
    const auto& request = parser.get();
    const hookline::api::HttpRequestView view = hookline::api::view_of(request);
    const std::string_view target = view.target;
    if (boost::beast::websocket::is_upgrade(request) &&
        target.substr(0, target.find('?')) == "/v1/listen") {
      // The hub takes the connection over, or refuses it with an answer.
      auto outcome = api.pipeline().authorize_listen(view);
      if (auto* refusal = std::get_if<ApiResponse>(&outcome)) {
        if (refusal->status < 400) hookline::fuzz::fail("listen refusal below 400");
        check_answer(*refusal);
      }
      return 0;
    }
    check_answer(api.pipeline().handle(view), target.starts_with("/oauth/"));
    if (!request.keep_alive() || request.method() == http::verb::head) return 0;
  }
  return 0;
}
