#include "listen/session_endpoints.hpp"

#include <boost/json.hpp>
#include <map>

#include "catalog/api_versions.hpp"
#include "core/ids.hpp"
#include "signing/hmac_sha256.hpp"

namespace hookline::listen {

namespace json = boost::json;

namespace {

// The session record kept as a setting: {"secret":…, "endpoints":{"test.account":"we_…",…}}.
struct SessionRecord {
  std::string secret;
  std::map<std::string, std::string> endpoint_ids;  // slot -> endpoint id
};

SessionRecord load_record(Store& store, const std::string& name) {
  SessionRecord record;
  const auto text = store.get_setting(name);
  if (!text) return record;
  boost::system::error_code ec;
  const json::value value = json::parse(*text, ec);
  if (ec || !value.is_object()) return record;
  const json::object& o = value.as_object();
  if (const auto* secret = o.if_contains("secret"); secret && secret->is_string()) {
    record.secret = std::string(secret->as_string());
  }
  if (const auto* ids = o.if_contains("endpoints"); ids && ids->is_object()) {
    for (const auto& slot : ids->as_object()) {
      if (slot.value().is_string()) {
        record.endpoint_ids[std::string(slot.key())] = std::string(slot.value().as_string());
      }
    }
  }
  return record;
}

void save_record(Store& store, const std::string& name, const SessionRecord& record) {
  json::object ids;
  for (const auto& [slot, id] : record.endpoint_ids) ids[slot] = id;
  store.put_setting(name, json::serialize(json::object{{"secret", record.secret},
                                                       {"endpoints", std::move(ids)}}));
}

}  // namespace

std::string session_setting_name(const std::string& api_key) {
  return "listen_session." +
         signing::to_hex(signing::hmac_sha256("hookline listen session", api_key)).substr(0, 32);
}

SessionEndpoints open_session_endpoints(Store& store, const Clock& clock,
                                        const ListenClient& client, bool is_platform,
                                        const ListenQuery& query) {
  const std::string name = session_setting_name(client.api_key);
  SessionRecord record = load_record(store, name);
  if (record.secret.empty()) record.secret = new_webhook_secret();

  struct Slot {
    std::string name;
    bool livemode;
    bool connect;
  };
  std::vector<Slot> wanted = {{"test.account", false, false}};
  if (is_platform) wanted.push_back({"test.connect", false, true});
  if (query.live) {
    wanted.push_back({"live.account", true, false});
    if (is_platform) wanted.push_back({"live.connect", true, true});
  }

  SessionEndpoints result;
  result.secret = record.secret;
  std::map<std::string, std::string> kept;
  for (const Slot& slot : wanted) {
    std::optional<WebhookEndpoint> endpoint;
    if (auto it = record.endpoint_ids.find(slot.name); it != record.endpoint_ids.end()) {
      endpoint = store.get_endpoint(it->second);
      // An endpoint of another account (the key now acts as another one): retire
      // it and start afresh.
      if (endpoint && endpoint->account_id != client.account_id) {
        result.retired_ids.push_back(endpoint->id);
        endpoint.reset();
      }
    }
    if (!endpoint) {
      endpoint.emplace();
      endpoint->id = new_id("we");
      endpoint->account_id = client.account_id;
      endpoint->connect = slot.connect;
      endpoint->livemode = slot.livemode;
      endpoint->created = clock.now_seconds();
      endpoint->description = "hookline listen session";
    }
    endpoint->listen_session = true;
    endpoint->url = std::string("hookline-listen://") + (slot.connect ? "connect" : "account");
    endpoint->enabled_events = query.events;
    // --latest pins the newest published version; without it, the platform's default.
    endpoint->api_version =
        query.latest ? std::string(catalog::published_api_versions().back()) : std::string();
    endpoint->status = EndpointStatus::kEnabled;
    endpoint->failing_since_ms = 0;
    endpoint->secrets = {EndpointSecret{record.secret, 0}};
    store.put_endpoint(*endpoint);
    kept[slot.name] = endpoint->id;
    result.endpoints.push_back(*endpoint);
  }
  for (const auto& [slot, id] : record.endpoint_ids) {
    if (!kept.contains(slot)) result.retired_ids.push_back(id);
  }
  for (const auto& [slot, id] : kept) record.endpoint_ids[slot] = id;
  save_record(store, name, record);
  disable_session_endpoints(store, result.retired_ids);
  return result;
}

void disable_session_endpoints(Store& store, const std::vector<std::string>& endpoint_ids) {
  for (const std::string& id : endpoint_ids) {
    std::optional<WebhookEndpoint> endpoint = store.get_endpoint(id);
    if (!endpoint || endpoint->status == EndpointStatus::kDisabled) continue;
    endpoint->status = EndpointStatus::kDisabled;
    store.put_endpoint(*endpoint);
  }
}

}  // namespace hookline::listen
