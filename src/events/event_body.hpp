#pragma once
// Renders the event object exactly once, at creation; these bytes are what every
// endpoint receives on every attempt.
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hookline {

struct EventBodyFields {
  std::string id;
  std::string account_id;  // empty for the platform's own events: no `account` field
  std::string api_version;
  int64_t created = 0;
  const boost::json::value* data_object = nullptr;  // REQUIRES: non-null, an object
  const boost::json::value* previous_attributes = nullptr;  // may be null: omitted
  bool livemode = false;
  int pending_webhooks = 0;
  std::string request_id;       // empty: null
  std::string idempotency_key;  // empty: null
  std::string type;
};

// The JSON body, keys in Stripe's order: id, object, account?, api_version,
// created, data {object, previous_attributes?}, livemode, pending_webhooks,
// request {id, idempotency_key}, type.
std::string render_event_body(const EventBodyFields& fields);

// The same body, and where data.object's JSON is in it: the bytes
// json::serialize(*fields.data_object) would give, so that a caller who keeps
// the object's JSON too serializes it once.
struct RenderedEventBody {
  std::string body;
  std::size_t object_offset = 0;
  std::size_t object_size = 0;
  std::string_view object_json() const {
    return std::string_view(body).substr(object_offset, object_size);
  }
};
RenderedEventBody render_event_body_with_object(const EventBodyFields& fields);

}  // namespace hookline
