// The `hookline listen` protocol: the frames each end parses from the other
// (server frames in the CLI, result frames in the hub) and the upgrade's query
// string. Properties: parsing a frame never throws, parsing a query throws only
// invalid_argument (not a query string); a parsed frame, written back with
// to_text and parsed again, is the same frame; a parsed query, encoded and
// parsed again, is the same query.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string_view>
#include <variant>

#include "listen/listen_protocol.hpp"

namespace listen = hookline::listen;

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz property violated: %s\n", what);
  std::abort();
}

bool same(const listen::ReadyFrame& a, const listen::ReadyFrame& b) {
  return a.secret == b.secret && a.account_id == b.account_id && a.livemode == b.livemode &&
         a.endpoint_ids == b.endpoint_ids;
}
bool same(const listen::DeliveryFrame& a, const listen::DeliveryFrame& b) {
  return a.id == b.id && a.delivery_id == b.delivery_id && a.event_id == b.event_id &&
         a.event_type == b.event_type && a.connect == b.connect && a.livemode == b.livemode &&
         a.signature == b.signature && a.body == b.body;
}
bool same(const listen::ErrorFrame& a, const listen::ErrorFrame& b) {
  return a.message == b.message;
}
bool same(const listen::ResultFrame& a, const listen::ResultFrame& b) {
  return a.id == b.id && a.delivery_id == b.delivery_id && a.status == b.status &&
         a.error == b.error && a.latency_ms == b.latency_ms;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (const auto frame = listen::parse_server_frame(text)) {
    std::visit(
        [](const auto& parsed) {
          const auto again = listen::parse_server_frame(listen::to_text(parsed));
          using Frame = std::decay_t<decltype(parsed)>;
          if (!again || !std::holds_alternative<Frame>(*again) ||
              !same(parsed, std::get<Frame>(*again))) {
            fail("a server frame does not survive to_text and parsing");
          }
        },
        *frame);
  }

  if (const auto result = listen::parse_result_frame(text)) {
    const auto again = listen::parse_result_frame(listen::to_text(*result));
    if (!again || !same(*result, *again))
      fail("a result frame does not survive to_text and parsing");
  }

  listen::ListenQuery query;
  try {
    query = listen::parse_listen_query(text);
  } catch (const std::invalid_argument& error) {  // not a query string: documented
    if (std::string_view(error.what()).empty()) fail("an error without a message");
    return 0;
  }
  if (query.events.empty()) fail("a query without events");
  const listen::ListenQuery again = listen::parse_listen_query(listen::encode_listen_query(query));
  if (again.events != query.events || again.live != query.live) {
    fail("a listen query does not survive encoding and parsing");
  }
  return 0;
}
