#include "listen/listen_hub.hpp"

#include "listen/listen_protocol.hpp"
#include "listen/session_endpoints.hpp"
#include "signing/signature.hpp"

namespace hookline {

struct ListenHub::Session {
  std::shared_ptr<ListenConnection> connection;  // reset on close (breaks the cycle)
  std::vector<std::string> endpoint_ids;
  bool closed = false;
};

namespace {

constexpr const char* kDisconnected = "listen_session_disconnected";

}  // namespace

ListenHub::ListenHub(Store& store, Clock& clock, ListenHubOptions options)
    : store_(store), clock_(clock), options_(options), expirer_([this] { expire_loop(); }) {}

ListenHub::~ListenHub() {
  std::map<std::string, Pending> left;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    left.swap(pending_);
  }
  wake_.notify_all();
  expirer_.join();
  for (auto& [id, pending] : left) pending.done(ListenOutcome{0, kDisconnected, 0});
}

ListenAcceptor ListenHub::acceptor() {
  return [this](const ListenClient& client, std::shared_ptr<ListenConnection> connection) {
    return accept(client, std::move(connection));
  };
}

ListenCallbacks ListenHub::accept(const ListenClient& client,
                                  std::shared_ptr<ListenConnection> connection) {
  const listen::ListenQuery query = listen::parse_listen_query(client.query);
  auto refuse = [&](const std::string& message) {
    connection->send_text(listen::to_text(listen::ErrorFrame{message}));
    connection->close();
    return ListenCallbacks{[](const std::string&) {}, [] {}};
  };
  if (query.live && !client.livemode) {
    return refuse("--live needs a live secret key (sk_live_…); this session uses a test key.");
  }

  auto session = std::make_shared<Session>();
  session->connection = connection;
  listen::ReadyFrame ready;
  try {
    // One session set-up at a time: two connections with one key share records.
    static std::mutex setup_mutex;
    std::lock_guard setup(setup_mutex);
    const std::optional<Account> account = store_.get_account(client.account_id);
    const bool is_platform = account && account->is_platform();
    const listen::SessionEndpoints endpoints =
        listen::open_session_endpoints(store_, clock_, client, is_platform, query);
    ready.secret = endpoints.secret;
    ready.account_id = client.account_id;
    ready.livemode = client.livemode;
    for (const WebhookEndpoint& endpoint : endpoints.endpoints) {
      session->endpoint_ids.push_back(endpoint.id);
      ready.endpoint_ids.push_back(endpoint.id);
    }
  } catch (const std::exception& e) {
    return refuse(std::string("Could not open the listen session: ") + e.what());
  }

  // The ready frame goes out before any delivery can be routed to the session.
  connection->send_text(listen::to_text(ready));
  {
    std::lock_guard lock(mutex_);
    for (const std::string& id : session->endpoint_ids) by_endpoint_[id] = session;
    ++sessions_;
  }
  return ListenCallbacks{
      [this, session](const std::string& text) { on_message(session, text); },
      [this, session] { on_close(session); }};
}

void ListenHub::deliver(ListenDelivery delivery, std::function<void(ListenOutcome)> done) {
  std::unique_lock lock(mutex_);
  auto it = by_endpoint_.find(delivery.endpoint.id);
  if (it == by_endpoint_.end() || it->second->closed || stopping_) {
    lock.unlock();
    done(ListenOutcome{0, kDisconnected, 0});
    return;
  }
  const std::shared_ptr<Session> session = it->second;
  const int64_t now_ms = clock_.now_ms();
  std::vector<std::string> secrets;
  for (const EndpointSecret& secret : delivery.endpoint.secrets) {
    if (secret.expires_at_ms == 0 || secret.expires_at_ms > now_ms) secrets.push_back(secret.secret);
  }
  listen::DeliveryFrame frame;
  frame.id = std::to_string(next_frame_id_++);
  frame.delivery_id = delivery.delivery_id;
  frame.event_id = delivery.event_id;
  frame.event_type = delivery.event_type;
  frame.connect = delivery.endpoint.connect;
  frame.livemode = delivery.livemode;
  frame.signature =
      signing::signature_header(now_ms / 1000, delivery.body, secrets, !delivery.livemode);
  frame.body = std::move(delivery.body);
  pending_[frame.id] =
      Pending{session, std::move(done), std::chrono::steady_clock::now() + options_.result_timeout};
  // Under the lock, so that frames leave in the order of the calls.
  session->connection->send_text(listen::to_text(frame));
}

void ListenHub::on_message(const std::shared_ptr<Session>& session, const std::string& text) {
  const auto result = listen::parse_result_frame(text);
  if (!result) return;  // not a result: ignored
  std::function<void(ListenOutcome)> done;
  {
    std::lock_guard lock(mutex_);
    auto it = pending_.find(result->id);
    if (it == pending_.end() || it->second.session != session) return;  // late or foreign
    done = std::move(it->second.done);
    pending_.erase(it);
  }
  done(ListenOutcome{result->status, result->error, result->latency_ms * 1000});
}

void ListenHub::on_close(const std::shared_ptr<Session>& session) {
  std::vector<std::string> to_disable;
  std::vector<std::function<void(ListenOutcome)>> to_fail;
  {
    std::lock_guard lock(mutex_);
    if (session->closed) return;
    session->closed = true;
    session->connection.reset();
    --sessions_;
    for (const std::string& id : session->endpoint_ids) {
      auto it = by_endpoint_.find(id);
      // A newer connection with the same key took the endpoint over: leave it.
      if (it != by_endpoint_.end() && it->second == session) {
        by_endpoint_.erase(it);
        to_disable.push_back(id);
      }
    }
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (it->second.session == session) {
        to_fail.push_back(std::move(it->second.done));
        it = pending_.erase(it);
      } else {
        ++it;
      }
    }
  }
  try {
    listen::disable_session_endpoints(store_, to_disable);
  } catch (const std::exception&) {
    // The store failed: the endpoints stay enabled and their deliveries fail
    // with listen_session_disconnected until the next connection.
  }
  for (auto& done : to_fail) done(ListenOutcome{0, kDisconnected, 0});
}

void ListenHub::expire_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(200));
    const auto now = std::chrono::steady_clock::now();
    std::vector<std::function<void(ListenOutcome)>> expired;
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (it->second.deadline <= now) {
        expired.push_back(std::move(it->second.done));
        it = pending_.erase(it);
      } else {
        ++it;
      }
    }
    if (expired.empty()) continue;
    lock.unlock();
    for (auto& done : expired) done(ListenOutcome{0, "timeout", 0});
    lock.lock();
  }
}

std::size_t ListenHub::session_count() const {
  std::lock_guard lock(mutex_);
  return sessions_;
}

}  // namespace hookline
