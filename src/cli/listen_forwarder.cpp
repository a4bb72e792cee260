#include "cli/listen_forwarder.hpp"

#include <ctime>
#include <iostream>

#include "cli/client_options.hpp"
#include "cli/http_client.hpp"

namespace hookline::cli {

namespace {

// Local time as the Stripe CLI prints it: "2006-01-02 15:04:05".
std::string local_time() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &tm);
  return buffer;
}

}  // namespace

ListenForwarder::ListenForwarder(ForwardOptions options,
                                 std::function<void(const listen::ResultFrame&, uint64_t)> report,
                                 std::function<bool(uint64_t)> is_current)
    : options_(std::move(options)),
      report_(std::move(report)),
      is_current_(std::move(is_current)),
      worker_([this] { work(); }) {}

ListenForwarder::~ListenForwarder() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

void ListenForwarder::enqueue(listen::DeliveryFrame delivery, uint64_t generation) {
  {
    std::lock_guard lock(mutex_);
    queue_.emplace_back(std::move(delivery), generation);
  }
  wake_.notify_one();
}

void ListenForwarder::work() {
  while (true) {
    std::pair<listen::DeliveryFrame, uint64_t> next;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      next = std::move(queue_.front());
      queue_.pop_front();
    }
    if (!is_current_(next.second)) continue;
    forward(next.first, next.second);
  }
}

void ListenForwarder::forward(const listen::DeliveryFrame& delivery, uint64_t generation) {
  if (options_.print_json) {
    std::cout << delivery.body << std::endl;
  } else {
    std::cout << local_time() << "   --> " << (delivery.connect ? "connect " : "")
              << delivery.event_type << " [" << delivery.event_id << "]" << std::endl;
  }

  listen::ResultFrame result;
  result.status = 200;  // nowhere to forward: the CLI itself is the receiver
  bool failed = false;
  for (const ForwardRoute& route : options_.routes) {
    if (!route.matches(delivery.connect, delivery.event_type)) continue;
    listen::ResultFrame answer = post(delivery, route);
    if (stopping_) return;
    // The server gets the first failure, or the last success.
    if (!failed) result = answer;
    failed = failed || answer.status < 200 || answer.status >= 300;
  }
  result.id = delivery.id;
  result.delivery_id = delivery.delivery_id;
  report_(result, generation);
}

listen::ResultFrame ListenForwarder::post(const listen::DeliveryFrame& delivery,
                                          const ForwardRoute& route) {
  HttpRequest request;
  request.method = "POST";
  request.url = route.url;
  request.body = delivery.body;
  request.timeout = std::chrono::seconds(options_.timeout_seconds);
  request.skip_tls_verify = options_.skip_verify;
  request.cancel = &stopping_;
  request.headers.emplace_back("Content-Type", kWebhookContentType);
  request.headers.emplace_back("User-Agent", kWebhookUserAgent);
  request.headers.emplace_back("Stripe-Signature", delivery.signature);
  for (const auto& header : route.headers) request.headers.push_back(header);

  const HttpResponse response = send_http_request(request);
  listen::ResultFrame result;
  if (stopping_) return result;
  result.status = response.status;
  result.latency_ms = response.latency.count() / 1000;
  if (response.status == 0) {
    result.error = response.timed_out            ? "timeout"
                   : response.connection_refused ? "connection_refused"
                                                 : "connection_error: " + response.error;
    if (!options_.print_json) {
      std::cout << local_time() << "            [ERROR] Failed to POST: " << response.error
                << std::endl;
    }
  } else if (!options_.print_json) {
    std::cout << local_time() << "  <--  [" << response.status << "] POST " << request.url << " ["
              << delivery.event_id << "]" << std::endl;
  }
  return result;
}

}  // namespace hookline::cli
