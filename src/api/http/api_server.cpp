// The Beast transport: the acceptor, I/O threads, HTTP sessions and the
// handler workers. What a request means is request_pipeline.cpp's business.
#include "api/api_server.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "api/http/beast_request_view.hpp"
#include "api/http/client_address.hpp"
#include "api/http/connection_registry.hpp"
#include "api/http/listen_socket.hpp"
#include "api/http/request_pipeline.hpp"
#include "core/thread_name.hpp"

namespace hookline::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kReadChunk = 16 << 10;
// After an answer that closes the connection, what the client still sends is
// read and dropped for a while, so that it sees the answer rather than a reset.
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::size_t kMaxLingerBytes = 8 << 20;
constexpr std::chrono::seconds kStopGrace{5};
constexpr std::chrono::milliseconds kAcceptRetry{50};
constexpr std::string_view kListenPath = "/v1/listen";

bool iequals(std::string_view a, std::string_view b) {
  return beast::iequals(beast::string_view(a.data(), a.size()),
                        beast::string_view(b.data(), b.size()));
}

// Answers still to be written. A publish is answered from its commit's
// completion, on the group-commit writer's thread, which may come after the
// server's workers have finished: stop() waits for those answers too, as it
// waits for the calls still running, before the I/O context goes.
class AnswersInFlight {
 public:
  void begin() {
    std::lock_guard lock(mutex_);
    ++count_;
  }
  void end() {
    std::lock_guard lock(mutex_);
    if (--count_ == 0) done_.notify_all();
  }
  void wait() {
    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return count_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_;
  int count_ = 0;  // guarded by mutex_
};

}  // namespace

// What every session shares; owned by ApiServer::Impl.
struct ServerCore {
  ServerCore(ApiContext& context, ApiServerOptions server_options, ListenAcceptor acceptor,
             CallHandler handler)
      : options(std::move(server_options)),
        listen_acceptor(std::move(acceptor)),
        pipeline(context, std::move(handler), static_cast<bool>(listen_acceptor),
                 options.rate_limit_per_second),
        registry(std::make_shared<ConnectionRegistry>(options.max_connections,
                                                      options.max_connections_per_client)),
        workers(static_cast<std::size_t>(std::max(1, options.handler_threads))) {}

  const ApiServerOptions options;
  const ListenAcceptor listen_acceptor;
  RequestPipeline pipeline;
  std::shared_ptr<ConnectionRegistry> registry;
  // stop() joins both; the I/O context goes first so that what its queue still
  // holds (sessions with strands on the pool) is released while the pool lives.
  asio::thread_pool workers;
  asio::io_context io;
  AnswersInFlight answers;
};

namespace {

// One HTTP/1.1 connection: reads one request at a time (so pipelined requests
// are answered in order), has it answered on the workers, writes the answer.
class HttpSession : public RegisteredConnection, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(ServerCore& core, tcp::socket socket)
      : core_(core),
        registry_(core.registry),
        stream_(std::move(socket)),
        executor_(stream_.get_executor()) {
    // What the parser has not consumed yet (a request head, a chunk header with
    // its extensions, a trailer) must fit here: the buffer never grows past it.
    buffer_.max_size(core.options.max_header_bytes + kReadChunk);
  }

  ~HttpSession() override { registry_->remove(this); }

  void start() {
    if (!registry_->add(shared_from_this(), client_address(stream_.socket()))) return;
    asio::dispatch(executor_, [self = shared_from_this()] { self->wait_for_request(); });
  }

  void shut_down() override {
    asio::post(executor_, [self = shared_from_this()] { self->close_now(); });
  }

 private:
  void close_now() {
    if (handed_over_) return;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  // Idle until the first byte of the next request.
  void wait_for_request() {
    if (registry_->stopping()) return close_now();
    if (buffer_.size() > 0) return read_header();
    stream_.expires_after(std::chrono::seconds(answered_ ? core_.options.idle_timeout_seconds
                                                         : core_.options.request_head_timeout_seconds));
    stream_.async_read_some(buffer_.prepare(kReadChunk), [self = shared_from_this()](
                                                             beast::error_code ec, std::size_t n) {
      self->buffer_.commit(n);
      if (ec) return self->close_now();
      self->read_header();
    });
  }

  void read_header() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(core_.options.max_header_bytes));
    parser_->body_limit(core_.options.max_body_bytes);
    header_bytes_ = 0;
    stream_.expires_after(std::chrono::seconds(core_.options.request_head_timeout_seconds));
    read_header_part();
  }

  // Beast's header_limit bounds what is parsed in one go, not the whole
  // header: the total is counted here, part by part.
  void read_header_part() {
    http::async_read_some(stream_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t used) {
                            self->header_bytes_ += used;
                            if (self->header_bytes_ > self->core_.options.max_header_bytes ||
                                ec == http::error::buffer_overflow) {
                              return self->reject_headers_too_large();
                            }
                            if (ec || self->parser_->is_header_done()) return self->on_header(ec);
                            self->read_header_part();
                          });
  }

  void on_header(beast::error_code ec) {
    if (ec == http::error::header_limit) return reject_headers_too_large();
    if (ec == http::error::body_limit) return reject_body_too_large();  // from Content-Length
    if (ec) return close_now();  // malformed, timed out, or closed by the peer
    const auto length = parser_->content_length();
    if (length && *length > core_.options.max_body_bytes) return reject_body_too_large();
    if (iequals(parser_->get()[http::field::expect], "100-continue")) {
      continue_.emplace(http::status::continue_, 11);
      return http::async_write(stream_, *continue_,
                               [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                 if (ec) return self->close_now();
                                 self->read_body();
                               });
    }
    read_body();
  }

  void read_body() {
    body_wire_bytes_ = 0;
    stream_.expires_after(std::chrono::seconds(core_.options.request_timeout_seconds));
    read_body_part();
  }

  // body_limit counts chunk data only; chunk sizes, extensions and trailers
  // are bounded here, by what the whole body phase may take off the wire.
  void read_body_part() {
    if (parser_->is_done()) return on_request({});
    http::async_read_some(stream_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t used) {
                            self->body_wire_bytes_ += used;
                            if (ec) return self->on_request(ec);
                            if (self->body_wire_bytes_ > self->max_body_wire_bytes()) {
                              return self->reject_body_too_large();
                            }
                            self->read_body_part();
                          });
  }

  std::size_t max_body_wire_bytes() const {
    return core_.options.max_body_bytes + core_.options.max_header_bytes;
  }

  void on_request(beast::error_code ec) {
    // A full buffer in the body phase: a chunk header or trailer that never ends.
    if (ec == http::error::body_limit || ec == http::error::buffer_overflow) {
      return reject_body_too_large();
    }
    if (ec) return close_now();
    stream_.expires_never();
    const auto& request = parser_->get();
    keep_alive_ = request.keep_alive() && request.method() != http::verb::head;
    const std::string_view target = request.target();
    if (beast::websocket::is_upgrade(request) &&
        target.substr(0, target.find('?')) == kListenPath) {
      return upgrade();
    }
    // The answer is written on the session's strand, posted from the worker
    // or, for a publish, from the group commit's completion: no worker waits.
    core_.answers.begin();
    // A call that waits on nothing runs here: the hop to a worker and back
    // (two thread wake-ups) cost more than the call itself.
    if (core_.pipeline.answers_without_waiting(view())) return answer();
    asio::post(core_.workers, [self = shared_from_this()] {
      name_this_thread("hl-api-work");
      self->answer();
    });
  }

  // On a worker, or on the I/O thread for a call that waits on nothing.
  void answer() {
    AnswersInFlight& answers = core_.answers;
    core_.pipeline.handle(view(), [&answers, session = shared_from_this()](
                                      ApiResponse response) mutable {
      // The session's reference goes with the answer: nothing on the
      // committing thread holds the session once it is posted.
      const asio::any_io_executor executor = session->executor_;
      asio::post(executor,
                 [session = std::move(session), response = std::move(response)]() mutable {
                   session->write(std::move(response));
                 });
      answers.end();
    });
  }

  HttpRequestView view() const { return view_of(parser_->get()); }

  void reject_headers_too_large() {
    keep_alive_ = false;
    write(core_.pipeline.error_response(ApiError(
        431, "invalid_request_error",
        "Request headers too large: at most " + std::to_string(core_.options.max_header_bytes) +
            " bytes of request line and headers are accepted.")));
  }

  void reject_body_too_large() {
    keep_alive_ = false;
    write(core_.pipeline.error_response(ApiError(
        413, "invalid_request_error",
        "Request body too large: at most " + std::to_string(core_.options.max_body_bytes) +
            " bytes of body, and " + std::to_string(core_.options.max_header_bytes) +
            " bytes of chunk framing and trailers, are accepted.")));
  }

  void write(ApiResponse answer) {
    response_.emplace();
    auto& response = *response_;
    response.version(11);
    response.result(static_cast<unsigned>(answer.status));
    bool has_content_type = false;
    for (const auto& [name, value] : answer.headers) {
      has_content_type = has_content_type || iequals(name, "Content-Type");
      response.set(name, value);
    }
    if (!has_content_type) response.set(http::field::content_type, "application/json");
    response.keep_alive(keep_alive_ && !registry_->stopping());
    response.body() = std::move(answer.body);
    // A 304 has no body and no length of its own (the cached response's stands).
    if (answer.status != 304) response.prepare_payload();
    // HEAD: the headers a GET gets (Content-Length included), without the body.
    if (parser_ && parser_->get().method() == http::verb::head) response.body().clear();
    stream_.expires_after(std::chrono::seconds(core_.options.request_timeout_seconds));
    http::async_write(stream_, response,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return self->close_now();
                        if (!self->response_->keep_alive()) return self->linger();
                        self->response_.reset();
                        self->parser_.reset();
                        self->answered_ = true;
                        self->wait_for_request();
                      });
  }

  // Half-closes, then reads and drops what the client still sends.
  void linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close_now();
    stream_.expires_after(kLingerTime);
    drain(0);
  }

  void drain(std::size_t drained) {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = shared_from_this(), drained](beast::error_code ec,
                                                                 std::size_t n) {
                              if (ec || drained + n > kMaxLingerBytes) return self->close_now();
                              self->drain(drained + n);
                            });
  }

  // GET /v1/listen with Upgrade: websocket: authenticate, then hand over.
  void upgrade() {
    asio::post(core_.workers, [self = shared_from_this()] {
      name_this_thread("hl-api-work");
      auto result = self->core_.pipeline.authorize_listen(self->view());
      asio::post(self->executor_, [self, result = std::move(result)]() mutable {
        if (auto* refusal = std::get_if<ApiResponse>(&result)) {
          self->keep_alive_ = false;
          return self->write(std::move(*refusal));
        }
        self->hand_over(std::get<ListenClient>(std::move(result)));
      });
    });
  }

  void hand_over(ListenClient client) {
    if (registry_->stopping()) return close_now();
    handed_over_ = true;
    registry_->remove(this);
    const ListenSocketSetup setup{core_.listen_acceptor, core_.workers, registry_,
                                  std::chrono::seconds(core_.options.idle_timeout_seconds)};
    start_listen_socket(std::move(stream_), parser_->release(), std::move(client), setup);
  }

  ServerCore& core_;
  std::shared_ptr<ConnectionRegistry> registry_;
  beast::tcp_stream stream_;
  const asio::any_io_executor executor_;  // the stream's strand (kept after a hand-over)
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  std::optional<http::response<http::empty_body>> continue_;
  std::size_t header_bytes_ = 0;     // of the request being read
  std::size_t body_wire_bytes_ = 0;  // of the request being read, framing included
  bool keep_alive_ = true;
  bool answered_ = false;     // a request was answered: the idle timeout applies
  bool handed_over_ = false;  // the stream now belongs to a listen socket
};

}  // namespace

struct ApiServer::Impl {
  Impl(ApiContext& context, ApiServerOptions options, ListenAcceptor listen_acceptor,
       CallHandler handler)
      : core(context, std::move(options), std::move(listen_acceptor), std::move(handler)),
        acceptor(asio::make_strand(core.io)),
        accept_retry(acceptor.get_executor()) {}

  void accept_next() {
    acceptor.async_accept(asio::make_strand(core.io), [this](beast::error_code ec,
                                                            tcp::socket socket) {
      if (!acceptor.is_open() || ec == asio::error::operation_aborted) return;
      if (ec) {
        // Out of file descriptors, typically: try again shortly.
        spdlog::warn("api: accept failed: {}", ec.message());
        accept_retry.expires_after(kAcceptRetry);
        accept_retry.async_wait([this](beast::error_code wait_ec) {
          if (!wait_ec) accept_next();
        });
        return;
      }
      if (core.registry->full()) {
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        socket.set_option(tcp::no_delay(true), ec);
        std::make_shared<HttpSession>(core, std::move(socket))->start();
      }
      accept_next();
    });
  }

  void io_thread_main() {
    name_this_thread("hl-api-io");
    try {
      core.io.run();
    } catch (const std::exception& e) {
      spdlog::error("api: I/O thread failed: {}", e.what());
    }
    std::lock_guard lock(mutex);
    --io_threads_running;
    io_threads_done.notify_all();
  }

  ServerCore core;
  tcp::acceptor acceptor;
  asio::steady_timer accept_retry;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> io_threads;
  std::mutex mutex;
  std::condition_variable io_threads_done;
  int io_threads_running = 0;  // GUARDED_BY(mutex)
  uint16_t port = 0;
  bool started = false;
  bool stopped = false;
};

ApiServer::ApiServer(ApiContext& context, ApiServerOptions options, ListenAcceptor listen_acceptor,
                     CallHandler handler)
    : impl_(std::make_unique<Impl>(context, std::move(options), std::move(listen_acceptor),
                                   std::move(handler))) {}

ApiServer::~ApiServer() { stop(); }

void ApiServer::start() {
  Impl& impl = *impl_;
  if (impl.started) throw std::logic_error("ApiServer::start called twice");
  const ApiServerOptions& options = impl.core.options;
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.host, ec);
  if (ec) throw std::runtime_error("api: invalid host address '" + options.host + "'");
  const tcp::endpoint endpoint(address, options.port);
  impl.acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl.acceptor.bind(endpoint, ec);
  if (!ec) impl.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("api: cannot listen on " + options.host + ":" +
                             std::to_string(options.port) + ": " + ec.message());
  }
  impl.port = impl.acceptor.local_endpoint().port();
  impl.started = true;
  impl.work.emplace(impl.core.io.get_executor());
  impl.accept_next();
  const int threads = std::max(1, options.threads);
  impl.io_threads_running = threads;
  for (int i = 0; i < threads; ++i) impl.io_threads.emplace_back([&impl] { impl.io_thread_main(); });
}

uint16_t ApiServer::port() const { return impl_->port; }

void ApiServer::stop() {
  Impl& impl = *impl_;
  if (!impl.started || impl.stopped) return;
  impl.stopped = true;
  // 1. No new connections; close the open ones (their pending operations end).
  asio::post(impl.acceptor.get_executor(), [&impl] {
    beast::error_code ignored;
    impl.acceptor.close(ignored);
    impl.accept_retry.cancel();
  });
  for (const auto& connection : impl.core.registry->stop()) connection->shut_down();
  impl.work.reset();
  // 2. The I/O threads end when nothing is left to do; past the grace time, stop them.
  {
    std::unique_lock lock(impl.mutex);
    if (!impl.io_threads_done.wait_for(lock, kStopGrace,
                                       [&impl] { return impl.io_threads_running == 0; })) {
      spdlog::warn("api: connections did not close within {} s; stopping", kStopGrace.count());
      impl.core.io.stop();
    }
  }
  for (std::thread& thread : impl.io_threads) thread.join();
  // 3. Calls still running finish (publishes: until their commits answered);
  // listen sessions are told they closed.
  impl.core.workers.join();
  impl.core.answers.wait();
  for (const auto& connection : impl.core.registry->snapshot()) connection->after_stop();
}

}  // namespace hookline::api
