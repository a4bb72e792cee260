#include "endpoint_creator.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <optional>

namespace bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;

namespace {

std::string form_encode(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

std::string id_of(const std::string& body) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) return {};
  const auto* id = value.as_object().if_contains("id");
  return id != nullptr && id->is_string() ? std::string(id->as_string()) : std::string();
}

}  // namespace

std::vector<CreatedEndpoint> create_endpoints(const std::string& host, unsigned short port,
                                              const std::string& api_key,
                                              const std::vector<std::string>& urls,
                                              const std::string& enabled_event) {
  asio::io_context io;
  const asio::ip::tcp::endpoint server(asio::ip::make_address(host), port);
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  std::vector<CreatedEndpoint> created;
  for (const std::string& url : urls) {
    if (!stream) {
      stream.emplace(io);
      stream->connect(server);  // throws: the harness reports it
    }
    http::request<http::string_body> request{http::verb::post, "/v1/webhook_endpoints", 11};
    request.set(http::field::host, host);
    request.set(http::field::authorization, "Bearer " + api_key);
    request.set(http::field::content_type, "application/x-www-form-urlencoded");
    request.body() = "url=" + form_encode(url) + "&" + form_encode("enabled_events[]") + "=" +
                     form_encode(enabled_event);
    request.prepare_payload();
    http::write(*stream, request);
    http::response<http::string_body> response;
    http::read(*stream, buffer, response);
    CreatedEndpoint endpoint{url, static_cast<int>(response.result_int()), {}, {}};
    if (endpoint.status == 200) {
      endpoint.id = id_of(response.body());
    } else {
      endpoint.error_body = response.body();
    }
    created.push_back(std::move(endpoint));
    if (!response.keep_alive()) stream.reset();
  }
  return created;
}

}  // namespace bench
