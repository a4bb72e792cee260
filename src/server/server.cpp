#include "server/server.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "api/api_context.hpp"
#include "api/api_server.hpp"
#include "api/http/idempotency.hpp"
#include "catalog/api_versions.hpp"
#include "core/clock.hpp"
#include "core/disk_space.hpp"
#include "core/metrics.hpp"
#include "core/thread_name.hpp"
#include "delivery/address_policy.hpp"
#include "events/event_publisher.hpp"
#include "listen/listen_hub.hpp"
#include "server/data_dir_lock.hpp"
#include "server/store_location.hpp"
#include "store/cluster_job.hpp"
#include "store/group_commit.hpp"
#include "store/platform_identity.hpp"

namespace hookline {

namespace {

constexpr int64_t kMsPerDay = 24LL * 3600 * 1000;
constexpr auto kPruneInterval = std::chrono::hours(1);
// A node skips its pass if another node's ran more recently than this.
constexpr auto kPruneMinInterval =
    std::chrono::milliseconds(kPruneInterval) - std::chrono::minutes(5);

// Deletes expired events (and idempotency keys older than 24 h) once an hour.
class RetentionPruner {
 public:
  RetentionPruner(Store& store, Clock& clock, int64_t retention_days)
      : store_(store), clock_(clock), retention_ms_(retention_days * kMsPerDay) {
    thread_ = std::thread([this] { run(); });
  }
  ~RetentionPruner() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void run() {
    name_this_thread("hl-retention");
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      prune_once();
      lock.lock();
      wake_.wait_for(lock, kPruneInterval, [this] { return stopping_; });
    }
  }
  void prune_once() {
    const int64_t now_ms = clock_.now_ms();
    try {
      // Once per cluster: nodes sharing a database take turns (cluster_job.hpp).
      run_cluster_job(store_, "retention", now_ms, kPruneMinInterval.count(), [&] {
        const int64_t deleted =
            store_.prune((now_ms - retention_ms_) / 1000, api::idempotency_cutoff_ms(now_ms));
        if (deleted > 0) spdlog::info("retention: pruned {} events older than the limit", deleted);
      });
    } catch (const std::exception& e) {
      spdlog::error("retention: prune failed: {}", e.what());
    }
  }

  Store& store_;
  Clock& clock_;
  int64_t retention_ms_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace

// Members are declared in start order; stop() tears them down in reverse.
struct Server::Parts {
  std::unique_ptr<DataDirLock> data_dir_lock;  // released last
  SystemClock clock;
  Metrics metrics;
  std::unique_ptr<Store> store;
  PlatformIdentity identity;
  std::unique_ptr<ListenHub> hub;
  std::unique_ptr<Dispatcher> dispatcher;
  std::unique_ptr<GroupCommitWriter> writer;  // hands deliveries to the dispatcher
  std::unique_ptr<EventPublisher> publisher;
  std::unique_ptr<api::ApiContext> api_context;
  std::unique_ptr<api::ApiServer> api;
  std::unique_ptr<RetentionPruner> pruner;
};

Server::Server(ServerOptions options) : options_(std::move(options)) {}

Server::~Server() { stop(); }

void Server::start() {
  if (parts_) throw std::logic_error("Server::start called twice");
  if (!catalog::is_published_api_version(options_.api_version)) {
    throw std::invalid_argument("the default API version " + options_.api_version +
                                " is not a published Stripe API version");
  }
  auto parts = std::make_unique<Parts>();
  if (options_.database.empty()) {
    // One server per data directory (nodes that share work share a database).
    std::error_code ec;
    std::filesystem::create_directories(options_.data_dir, ec);
    if (ec) {
      throw std::runtime_error("cannot create the data directory " + options_.data_dir + ": " +
                               ec.message());
    }
    parts->data_dir_lock = std::make_unique<DataDirLock>(options_.data_dir);
  }
  parts->store = open_store(options_);
  parts->identity = load_platform_identity(*parts->store, parts->clock, options_.test_secret_key,
                                           options_.live_secret_key);
  Parts* raw = parts.get();
  parts->metrics.report_free_space([dir = options_.data_dir] { return available_bytes(dir); });
  parts->hub = std::make_unique<ListenHub>(*parts->store, parts->clock);
  // Reachable from elsewhere, the server keeps every endpoint off private
  // addresses (an attempt's answer is readable through the API: read-SSRF);
  // on loopback, test endpoints may reach the developer's own machine.
  DispatcherOptions delivery_options = options_.delivery;
  delivery_options.private_targets.allow_test_endpoints =
      delivery_options.private_targets.allow_test_endpoints &&
      delivery::is_loopback_address(options_.host);
  parts->dispatcher = std::make_unique<Dispatcher>(*parts->store, parts->clock, delivery_options,
                                                   parts->hub.get(), &parts->metrics);
  // Each committed batch's deliveries go straight to the dispatcher (no claim)
  // before the batch's callers are woken: deliveries start while the answers
  // go out. Those it had no room for are inserted due: it is woken to claim them.
  parts->writer = std::make_unique<GroupCommitWriter>(
      *parts->store, [raw] { raw->dispatcher->wake(); }, parts->dispatcher.get());
  parts->publisher = std::make_unique<EventPublisher>(
      *parts->store, parts->clock, *parts->writer, parts->identity.account_id,
      options_.api_version, [raw] { raw->metrics.record_events_created(1); });
  parts->api_context = std::make_unique<api::ApiContext>(api::ApiContext{
      *parts->store, parts->clock, *parts->publisher, parts->identity, parts->dispatcher.get(),
      &parts->metrics});
  api::ApiServerOptions api_options;
  api_options.host = options_.host;
  api_options.port = options_.port;
  api_options.threads = options_.api_threads;
  api_options.max_connections_per_client = options_.max_connections_per_client;
  api_options.rate_limit_per_second = options_.rate_limit_per_second;
  parts->api = std::make_unique<api::ApiServer>(*parts->api_context, api_options,
                                                parts->hub->acceptor());
  parts->dispatcher->start();
  parts->api->start();
  parts->pruner = std::make_unique<RetentionPruner>(*parts->store, parts->clock,
                                                    options_.retention_days);
  // Last (nothing throws after it; stop() unregisters it before the
  // dispatcher goes): deliveries another node made due are claimed at once.
  parts->store->on_deliveries_due([raw] { raw->dispatcher->wake(); });
  parts_ = std::move(parts);
}

uint16_t Server::port() const { return parts_->api->port(); }
const std::string& Server::platform_account_id() const { return parts_->identity.account_id; }
const std::string& Server::test_secret_key() const { return parts_->identity.test_secret_key; }
const std::string& Server::live_secret_key() const { return parts_->identity.live_secret_key; }
bool Server::generated_test_key() const { return parts_->identity.generated_test_key; }
bool Server::generated_live_key() const { return parts_->identity.generated_live_key; }

void Server::stop() {
  if (!parts_) return;
  // Requests first (nothing new is accepted), then the dispatcher (attempts in
  // flight finish and are recorded), then the writer drains, then the store.
  parts_->pruner.reset();
  parts_->api->stop();
  parts_->dispatcher->stop();
  parts_->store->on_deliveries_due({});
  parts_.reset();
}

}  // namespace hookline
