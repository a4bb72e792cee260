#include "listen/listen_hub.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "core/thread_name.hpp"
#include "listen/listen_protocol.hpp"
#include "listen/session_endpoints.hpp"
#include "routing/router.hpp"
#include "signing/signature.hpp"

namespace hookline {

struct ListenHub::Session {
  std::shared_ptr<ListenConnection> connection;  // reset on close (breaks the cycle)
  ListenClient client;
  listen::ListenQuery query;
  bool is_platform = false;
  std::vector<std::string> endpoint_ids;
  bool closed = false;

};

namespace {

constexpr const char* kDisconnected = "listen_session_disconnected";

std::string key_of(const ListenClient& client) {
  return client.api_key + "\n" + client.account_id;
}

// What the endpoints of a key must let through for all of its open sessions.
template <typename Sessions>
listen::ListenQuery union_query(const Sessions& sessions) {
  listen::ListenQuery all;
  all.events.clear();
  for (const auto& session : sessions) {
    all.live = all.live || session->query.live;
    all.latest = all.latest || session->query.latest;
    for (const std::string& type : session->query.events) {
      if (std::find(all.events.begin(), all.events.end(), type) == all.events.end()) {
        all.events.push_back(type);
      }
    }
  }
  if (std::find(all.events.begin(), all.events.end(), "*") != all.events.end()) all.events = {"*"};
  return all;
}

template <typename List, typename T>
void erase_value(List& list, const T& value) {
  list.erase(std::remove(list.begin(), list.end(), value), list.end());
}

}  // namespace

ListenHub::ListenHub(Store& store, Clock& clock, ListenHubOptions options)
    : store_(store), clock_(clock), options_(options), expirer_([this] { expire_loop(); }) {}

ListenHub::~ListenHub() {
  std::vector<std::function<void()>> to_run;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& [id, pending] : pending_) {
      if (auto run = settle(*pending.waiter, ListenOutcome{0, kDisconnected, 0}, false)) {
        to_run.push_back(std::move(run));
      }
    }
    pending_.clear();
  }
  wake_.notify_all();
  expirer_.join();
  for (auto& run : to_run) run();
}

ListenAcceptor ListenHub::acceptor() {
  return [this](const ListenClient& client, std::shared_ptr<ListenConnection> connection) {
    return accept(client, std::move(connection));
  };
}

ListenCallbacks ListenHub::accept(const ListenClient& client,
                                  std::shared_ptr<ListenConnection> connection) {
  auto refuse = [&](const std::string& message) {
    connection->send_text(listen::to_text(listen::ErrorFrame{message}));
    connection->close();
    return ListenCallbacks{[](const std::string&) {}, [] {}};
  };
  listen::ListenQuery query;
  try {
    query = listen::parse_listen_query(client.query);
  } catch (const std::invalid_argument& e) {
    return refuse(e.what());
  }
  if (query.live && !client.livemode) {
    return refuse("--live needs a live secret key (sk_live_…); this session uses a test key.");
  }

  auto session = std::make_shared<Session>();
  session->connection = connection;
  session->client = client;
  session->query = query;
  const std::string key = key_of(client);
  std::lock_guard setup(setup_mutex_);
  listen::ReadyFrame ready;
  try {
    const std::optional<Account> account = store_.get_account(client.account_id);
    session->is_platform = account && account->is_platform();
    SessionList sessions;
    {
      std::lock_guard lock(mutex_);
      if (auto it = by_key_.find(key); it != by_key_.end()) sessions = it->second;
    }
    sessions.push_back(session);
    const listen::SessionEndpoints endpoints = listen::open_session_endpoints(
        store_, clock_, client, session->is_platform, union_query(sessions));
    // Deliveries to these endpoints are attempted here, whichever node publishes.
    std::vector<std::string> held;
    for (const WebhookEndpoint& endpoint : endpoints.endpoints) held.push_back(endpoint.id);
    store_.hold_listen_endpoints(held);
    ready.secret = endpoints.secret;
    ready.account_id = client.account_id;
    ready.livemode = client.livemode;
    for (const WebhookEndpoint& endpoint : endpoints.endpoints) {
      if (endpoint.livemode && !query.live) continue;  // another session's --live
      session->endpoint_ids.push_back(endpoint.id);
      ready.endpoint_ids.push_back(endpoint.id);
    }
  } catch (const std::exception& e) {
    return refuse(std::string("Could not open the listen session: ") + e.what());
  }

  {
    // Queued under the lock deliver() queues under: the ready frame goes out
    // before any delivery, and a delivery that comes once the CLI has printed
    // Ready finds the session (not "listen_session_disconnected").
    std::lock_guard lock(mutex_);
    connection->send_text(listen::to_text(ready));
    for (const std::string& id : session->endpoint_ids) by_endpoint_[id].push_back(session);
    by_key_[key].push_back(session);
    ++sessions_;
  }
  return ListenCallbacks{
      [this, session](const std::string& text) { on_message(session, text); },
      [this, session] { on_close(session); }};
}

void ListenHub::deliver(ListenDelivery delivery, std::function<void(ListenOutcome)> done) {
  std::unique_lock lock(mutex_);
  SessionList targets;
  if (auto it = by_endpoint_.find(delivery.endpoint.id); it != by_endpoint_.end() && !stopping_) {
    for (const auto& session : it->second) {
      if (!session->closed && routing::subscribes(session->query.events, delivery.event_type)) targets.push_back(session);
    }
  }
  if (targets.empty()) {
    lock.unlock();
    done(ListenOutcome{0, kDisconnected, 0});
    return;
  }
  const int64_t now_ms = clock_.now_ms();
  std::vector<std::string> secrets;
  for (const EndpointSecret& secret : delivery.endpoint.secrets) {
    if (secret.expires_at_ms == 0 || secret.expires_at_ms > now_ms) secrets.push_back(secret.secret);
  }
  listen::DeliveryFrame frame;
  frame.delivery_id = delivery.delivery_id;
  frame.event_id = delivery.event_id;
  frame.event_type = delivery.event_type;
  frame.connect = delivery.endpoint.connect;
  frame.livemode = delivery.livemode;
  frame.signature =
      signing::signature_header(now_ms / 1000, delivery.body, secrets, !delivery.livemode);
  frame.body = std::move(delivery.body);
  auto waiter = std::make_shared<Waiter>(
      Waiter{std::move(done), static_cast<int>(targets.size())});
  const auto deadline = std::chrono::steady_clock::now() + options_.result_timeout;
  for (const auto& session : targets) {
    frame.id = std::to_string(next_frame_id_++);
    pending_[frame.id] = Pending{session, waiter, deadline};
    // Under the lock, so that frames leave in the order of the calls.
    session->connection->send_text(listen::to_text(frame));
  }
}

std::function<void()> ListenHub::settle(Waiter& waiter, ListenOutcome outcome, bool answered) {
  --waiter.frames_unanswered;
  if (!waiter.done || (!answered && waiter.frames_unanswered > 0)) return {};
  return [done = std::exchange(waiter.done, nullptr), outcome] { done(outcome); };
}

void ListenHub::on_message(const std::shared_ptr<Session>& session, const std::string& text) {
  const auto result = listen::parse_result_frame(text);
  if (!result) return;  // not a result: ignored
  std::function<void()> run;
  {
    std::lock_guard lock(mutex_);
    auto it = pending_.find(result->id);
    if (it == pending_.end() || it->second.session != session) return;  // late or foreign
    run = settle(*it->second.waiter,
                 ListenOutcome{result->status, result->error, result->latency_ms * 1000}, true);
    pending_.erase(it);
  }
  if (run) run();
}

void ListenHub::on_close(const std::shared_ptr<Session>& session) {
  std::vector<std::string> to_disable;
  std::vector<std::function<void()>> to_run;
  {
    std::lock_guard setup(setup_mutex_);
    SessionList remaining;
    {
      std::lock_guard lock(mutex_);
      if (session->closed) return;
      session->closed = true;
      session->connection.reset();
      --sessions_;
      const std::string key = key_of(session->client);
      SessionList& peers = by_key_[key];
      erase_value(peers, session);
      remaining = peers;
      if (peers.empty()) by_key_.erase(key);
      for (const std::string& id : session->endpoint_ids) {
        auto it = by_endpoint_.find(id);
        if (it == by_endpoint_.end()) continue;
        erase_value(it->second, session);
        if (it->second.empty()) {
          by_endpoint_.erase(it);
          to_disable.push_back(id);
        }
      }
      for (auto it = pending_.begin(); it != pending_.end();) {
        if (it->second.session != session) {
          ++it;
          continue;
        }
        if (auto run = settle(*it->second.waiter, ListenOutcome{0, kDisconnected, 0}, false)) {
          to_run.push_back(std::move(run));
        }
        it = pending_.erase(it);
      }
    }
    try {
      if (!remaining.empty()) {
        // Narrow the endpoints to what the sessions still open ask for.
        const Session& any = *remaining.front();
        listen::open_session_endpoints(store_, clock_, any.client, any.is_platform,
                                       union_query(remaining));
      }
      listen::disable_session_endpoints(store_, to_disable);
      store_.release_listen_endpoints(to_disable);
    } catch (const std::exception&) {
      // The store failed: the endpoints stay as they were and their deliveries
      // fail with listen_session_disconnected until the next connection.
    }
  }
  for (auto& run : to_run) run();
}

void ListenHub::expire_loop() {
  name_this_thread("hl-listen-exp");
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(200));
    const auto now = std::chrono::steady_clock::now();
    std::vector<std::function<void()>> expired;
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (it->second.deadline > now) {
        ++it;
        continue;
      }
      if (auto run = settle(*it->second.waiter, ListenOutcome{0, "timeout", 0}, false)) {
        expired.push_back(std::move(run));
      }
      it = pending_.erase(it);
    }
    if (expired.empty()) continue;
    lock.unlock();
    for (auto& run : expired) run();
    lock.lock();
  }
}

std::size_t ListenHub::session_count() const {
  std::lock_guard lock(mutex_);
  return sessions_;
}

}  // namespace hookline
