#include "events/event_publisher.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/object.hpp>

#include "catalog/event_types.hpp"
#include "core/ids.hpp"
#include "events/event_body.hpp"
#include "routing/router.hpp"

namespace hookline {

namespace json = boost::json;

EventPublisher::EventPublisher(Store& store, Clock& clock, GroupCommitWriter& writer,
                               std::string platform_account_id, std::string api_version,
                               std::function<void()> on_committed)
    : clock_(clock),
      writer_(writer),
      routing_(store),
      platform_account_id_(std::move(platform_account_id)),
      api_version_(std::move(api_version)),
      on_committed_(std::move(on_committed)) {}

namespace {

std::string string_field(const json::value& object, std::string_view key) {
  const auto* found = object.as_object().if_contains(key);
  return found != nullptr && found->is_string() ? std::string(found->as_string()) : std::string();
}

// Throws PublishError unless an event of `type` may happen on `account` in `livemode`.
void check_can_happen(const Account& account, bool livemode, const std::string& type) {
  if (account.is_platform()) return;
  if (account.deauthorized && type != "account.application.deauthorized") {
    throw PublishError("account", fmt::format("The account {} has deauthorized this platform; "
                                              "no further events can happen on it.",
                                              account.id));
  }
  if (livemode && !account.connected_live) {
    throw PublishError("account",
                       fmt::format("The account {} is connected to this platform in test mode "
                                   "only, so a live event cannot happen on it.",
                                   account.id));
  }
  if (!catalog::is_available_for(account, type)) {
    const char* why = type == "account.application.deauthorized"
                          ? "only accounts with Dashboard access (Standard) can deauthorize a "
                            "platform"
                          : "it is only sent for accounts the platform controls (Custom, "
                            "Express, or Standard with platform controls)";
    throw PublishError("type", fmt::format("{} is not available for the {} account {}: {}.", type,
                                           to_string(account.type), account.id, why));
  }
}

}  // namespace

PreparedEvent EventPublisher::prepare(const PublishRequest& request) {
  if (request.type.empty()) throw PublishError("type", "Missing required param: type.");
  if (!catalog::is_known_event_type(request.type)) {
    std::string message = fmt::format("Invalid event type: {}.", request.type);
    auto nearest = catalog::nearest_event_types(request.type, 3);
    if (!nearest.empty()) message += fmt::format(" Did you mean {}?", fmt::join(nearest, ", "));
    throw PublishError("type", message);
  }
  if (!request.data_object.is_object()) {
    throw PublishError("data[object]", "data[object] must be an object.");
  }
  if (request.previous_attributes && !request.previous_attributes->is_object()) {
    throw PublishError("data[previous_attributes]",
                       "data[previous_attributes] must be an object.");
  }
  const std::shared_ptr<const AccountRouting> routing = routing_.get(request.account_id);
  if (!routing) {
    throw PublishError("account", fmt::format("No such account: '{}'", request.account_id));
  }
  const Account* account = &routing->account;
  check_can_happen(*account, request.livemode, request.type);

  PreparedEvent prepared;
  NewEvent& row = prepared.row;
  StoredEvent& event = row.event;
  event.id = new_sortable_id("evt", clock_.now_ms());
  event.account_id = account->id;
  event.livemode = request.livemode;
  event.type = request.type;
  event.created = clock_.now_seconds();

  const std::vector<WebhookEndpoint>& candidates = routing->candidates;
  row.endpoint_ids = routing::route_event(*account, platform_account_id_, request.livemode,
                                          request.type, candidates);
  event.pending_webhooks = static_cast<int>(row.endpoint_ids.size());
  row.first_attempt_ms = clock_.now_ms();

  EventBodyFields fields;
  fields.id = event.id;
  if (!account->is_platform()) fields.account_id = account->id;
  fields.api_version = request.api_version.empty() ? api_version_ : request.api_version;
  fields.created = event.created;
  fields.data_object = &request.data_object;
  fields.previous_attributes = request.previous_attributes ? &*request.previous_attributes
                                                           : nullptr;
  fields.livemode = event.livemode;
  fields.pending_webhooks = event.pending_webhooks;
  fields.request_id = request.request_id;
  fields.idempotency_key = request.idempotency_key;
  fields.type = event.type;
  RenderedEventBody rendered = render_event_body_with_object(fields);
  event.body = std::move(rendered.body);
  if (event.body.size() > kMaxEventBodyBytes) {
    throw PublishError(
        "data[object]",
        fmt::format("The event would be {} bytes of JSON; an event may hold at most {} bytes "
                    "(1 MiB), escapes included (a control character in a string is written "
                    "as \\u0001, six bytes).",
                    event.body.size(), kMaxEventBodyBytes));
  }

  row.object_id = string_field(request.data_object, "id");
  if (!row.object_id.empty()) {
    row.object_type = string_field(request.data_object, "object");
    // data.object as the body holds it: serialized once.
    row.object_json = std::string(event.body, rendered.object_offset, rendered.object_size);
  }

  // The routed endpoints as read here go along, so that the deliveries can be
  // handed to the dispatcher without reading them back.
  // (The router keeps the candidates' order: the search goes on from the last one found.)
  std::vector<WebhookEndpoint>& routed = prepared.routed;
  routed.reserve(row.endpoint_ids.size());
  std::size_t from = 0;
  for (const std::string& endpoint_id : row.endpoint_ids) {
    const auto is_it = [&](const WebhookEndpoint& e) { return e.id == endpoint_id; };
    auto found = std::find_if(candidates.begin() + static_cast<std::ptrdiff_t>(from),
                              candidates.end(), is_it);
    if (found == candidates.end()) found = std::find_if(candidates.begin(), candidates.end(), is_it);
    if (found == candidates.end()) break;
    routed.push_back(*found);
    from = static_cast<std::size_t>(found - candidates.begin());
  }
  if (routed.size() != row.endpoint_ids.size()) routed.clear();
  return prepared;
}

void EventPublisher::commit_async(PreparedEvent prepared, GroupCommitWriter::Completion done) {
  writer_.write_async(std::move(prepared.row), std::move(prepared.routed),
                      [this, done = std::move(done)](std::exception_ptr error) {
                        if (!error && on_committed_) on_committed_();
                        done(std::move(error));
                      });
}

StoredEvent EventPublisher::publish(const PublishRequest& request) {
  PreparedEvent prepared = prepare(request);
  StoredEvent result = prepared.row.event;
  writer_.write(std::move(prepared.row), std::move(prepared.routed));
  if (on_committed_) on_committed_();
  return result;
}

}  // namespace hookline
