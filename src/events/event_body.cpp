#include "events/event_body.hpp"

#include <boost/json/serializer.hpp>

namespace hookline {

namespace json = boost::json;

namespace {

// Writes the body piece by piece, each JSON value as json::serialize writes it,
// without building (and copying data.object into) a json::object first.
class BodyWriter {
 public:
  explicit BodyWriter(std::string& out) : out_(out) {}

  void raw(std::string_view text) { out_.append(text); }
  void string(std::string_view s) {
    serializer_.reset(json::string_view(s.data(), s.size()));
    drain();
  }
  void string_or_null(std::string_view s) {
    if (s.empty()) return raw("null");
    string(s);
  }
  void value(const json::value& v) {
    serializer_.reset(&v);
    drain();
  }

 private:
  void drain() {
    char buffer[2048];
    while (!serializer_.done()) {
      const json::string_view part = serializer_.read(buffer);
      out_.append(part.data(), part.size());
    }
  }

  std::string& out_;
  json::serializer serializer_;
};

}  // namespace

RenderedEventBody render_event_body_with_object(const EventBodyFields& f) {
  RenderedEventBody rendered;
  std::string& out = rendered.body;
  out.reserve(1024);
  BodyWriter w(out);
  w.raw(R"({"id":)");
  w.string(f.id);
  w.raw(R"(,"object":"event")");
  if (!f.account_id.empty()) {
    w.raw(R"(,"account":)");
    w.string(f.account_id);
  }
  w.raw(R"(,"api_version":)");
  w.string(f.api_version);
  w.raw(R"(,"created":)");
  w.raw(std::to_string(f.created));
  w.raw(R"(,"data":{"object":)");
  rendered.object_offset = out.size();
  w.value(*f.data_object);
  rendered.object_size = out.size() - rendered.object_offset;
  if (f.previous_attributes != nullptr) {
    w.raw(R"(,"previous_attributes":)");
    w.value(*f.previous_attributes);
  }
  w.raw(R"(},"livemode":)");
  w.raw(f.livemode ? "true" : "false");
  w.raw(R"(,"pending_webhooks":)");
  w.raw(std::to_string(f.pending_webhooks));
  w.raw(R"(,"request":{"id":)");
  w.string_or_null(f.request_id);
  w.raw(R"(,"idempotency_key":)");
  w.string_or_null(f.idempotency_key);
  w.raw(R"(},"type":)");
  w.string(f.type);
  w.raw("}");
  return rendered;
}

std::string render_event_body(const EventBodyFields& fields) {
  return std::move(render_event_body_with_object(fields).body);
}

}  // namespace hookline
