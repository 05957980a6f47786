// The only file that includes RESTinio (and asio): it turns RESTinio requests
// into our Request, runs the Router, and writes our Response back.
//
// Lifetime: everything RESTinio needs lives in a Core shared by the Server
// and by each unanswered request's ResponseState. A late Responder (called
// after Stop, from a handler's own thread) therefore never touches a
// destroyed io_context; its answer is queued on the stopped loop and dropped.
#include "http/server.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <exception>
#include <restinio/http_server.hpp>
#include <system_error>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "common/logging.h"
#include "common/thread_name.h"
#include "http/error_response.h"
#include "http/guarded_socket.h"
#include "http/in_flight_tracker.h"
#include "http/restinio_request.h"
#include "http/server_support.h"

namespace spinlog::http {
namespace {

// Requests read ahead on one connection while earlier ones are still being
// handled (answers still go out in order). Lets a pipelining client keep
// several slow (async) requests in progress at once.
constexpr std::size_t kMaxPipelinedRequests = 16;

// Bytes read from a socket at a time (RESTinio's default is 4 KiB). A batch
// of 1,000 plays is about 115 KB: at 4 KiB it took 36 reads, at 16 KiB 10,
// and bulk ingest used less CPU per play in 10 of 13 paired runs
// (docs/benchmarks.md). Each open connection holds one such buffer: 160 MB
// at 10,000 connections.
constexpr std::size_t kReadBufferBytes = 16 * 1024;

// How long Stop lets a just-accepted connection deliver its first request.
constexpr std::chrono::milliseconds kAcceptSettle{50};

struct Core;

struct RequestHandler {
  explicit RequestHandler(Core* c) : core(c) {}
  restinio::request_handling_status_t operator()(restinio::request_handle_t req) const;
  Core* core;  // raw: Core owns the io_context that owns the connections
};

// Tells the server's observer (if any) of connections opening and closing,
// and notes when the last connection was accepted (for Stop).
struct ConnectionListener {
  ConnectionListener(ServerObserver* o, std::atomic<std::int64_t>* accepted)
      : observer(o), last_accept(accepted) {}
  void state_changed(const restinio::connection_state::notice_t& notice) noexcept {
    const restinio::connection_state::cause_t cause = notice.cause();
    if (std::holds_alternative<restinio::connection_state::accepted_t>(cause)) {
      last_accept->store(std::chrono::steady_clock::now().time_since_epoch().count(),
                         std::memory_order_relaxed);
    }
    if (observer == nullptr) return;
    if (std::holds_alternative<restinio::connection_state::accepted_t>(cause)) {
      observer->OnConnectionOpened();
    } else if (std::holds_alternative<restinio::connection_state::closed_t>(cause)) {
      observer->OnConnectionClosed();
    }
  }
  ServerObserver* const observer;
  std::atomic<std::int64_t>* const last_accept;
};

// Strand: with several event-loop threads, each connection's handlers run
// on a strand (asio::strand), so that they never run concurrently. With one
// thread they cannot anyway, and the strand's queue and lock cost a few
// percent of a small request's CPU: that server uses the plain executor
// (restinio::noop_strand_t). Answers handed over from other threads (a
// handler's own, the play committer's) are posted to the one loop either way.
template <typename Strand>
struct ServerTraits : restinio::traits_t<restinio::asio_timer_manager_t, restinio::null_logger_t,
                                         RequestHandler, Strand> {
  static constexpr bool use_connection_count_limiter = true;
  // Answers the requests RESTinio's parser refuses (431, 413, 400).
  using stream_socket_t = GuardedSocket;
  using connection_state_listener_t = ConnectionListener;
};
using MultiThreadTraits = ServerTraits<restinio::default_strand_t>;
using SingleThreadTraits = ServerTraits<restinio::noop_strand_t>;

// The limits RESTinio enforces while parsing (and the socket guard mirrors).
// Any single part of the request line and headers over max_header_bytes
// fails the parse; headers that fit one by one but not together are
// answered 431 by BuildRequest.
RequestGuardLimits ParserLimits(const ServerOptions& options) {
  RequestGuardLimits limits;
  limits.max_url_size = options.max_header_bytes;
  limits.max_field_name_size = options.max_header_bytes;
  limits.max_field_value_size = options.max_header_bytes;
  limits.max_field_count = options.max_header_bytes / 4 + 1;
  limits.max_body_size = options.max_body_bytes;
  limits.max_header_bytes = options.max_header_bytes;
  return limits;
}

std::string RenderRefusal(const Core& core, const Refusal& refusal);

struct Core : std::enable_shared_from_this<Core> {
  Core(const ServerOptions& o, const Router* r, std::size_t threads)
      : options(o),
        router(r),
        reports(o.access_log != nullptr || o.observer != nullptr),
        io(static_cast<int>(threads),
           SocketGuardConfig{ParserLimits(o), [this](const Refusal& refusal) {
                               return RenderRefusal(*this, refusal);
                             }}) {}

  // REQUIRES: no thread runs `io`.
  ~Core() {
    // A RESTinio connection keeps a raw pointer to its acceptor's connection
    // counter, so connections (owned by the pending handlers that shutdown()
    // destroys) must go before the server that owns the acceptor, and the
    // acceptor's own sockets before `io`.
    io.shutdown();
    server.reset();
  }

  // Declared before `io` so that it outlives it: destroying `io` destroys
  // queued writes, whose completion callbacks still call in_flight.End().
  InFlightTracker in_flight;
  const ServerOptions options;
  const Router* const router;
  // Whether answers are reported (access log, observer) at all.
  const bool reports;
  std::atomic<bool> draining{false};
  // steady_clock ticks when a connection was last accepted.
  std::atomic<std::int64_t> last_accept{0};
  GuardedIoContext io;
  // Keeps the loops running while no connection is open.
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  // A restinio::http_server_t of MultiThreadTraits or SingleThreadTraits.
  std::shared_ptr<void> server;
};

Response InternalError(const std::string& request_id) {
  return JsonErrorResponse(500, "internal error (request " + request_id + ")");
}

// The answer to one request. Exactly one response goes out: the first
// Answer(), or a 500 from the destructor when every Responder copy was
// dropped unanswered.
class ResponseState {
 public:
  ResponseState(std::shared_ptr<Core> core, restinio::request_handle_t req, Method method)
      : core_(std::move(core)),
        req_(std::move(req)),
        request_id_(NextRequestId()),
        method_(method),
        start_(std::chrono::steady_clock::now()) {
    if (core_->options.access_log) {
      path_ = std::string(req_->header().path());
      client_ = req_->remote_endpoint().address().to_string();
    }
  }

  ~ResponseState() {
    if (answered_.exchange(true)) return;
    logging::Error("request " + request_id_ + ": handler dropped its responder unanswered");
    Write(InternalError(request_id_));
  }

  ResponseState(const ResponseState&) = delete;
  ResponseState& operator=(const ResponseState&) = delete;

  const std::string& request_id() const { return request_id_; }
  // Where Router::Dispatch puts the route's pattern, for the report; null
  // when nothing is reported.
  std::string_view* route_slot() { return core_->reports ? &route_ : nullptr; }

  void Answer(Response response) {
    if (answered_.exchange(true)) {
      logging::Warn("request " + request_id_ + ": answered twice; second answer dropped");
      return;
    }
    Write(std::move(response));
  }

  // For the catch-all: answers unless the handler already did.
  void AnswerIfPending(Response response) {
    if (!answered_.exchange(true)) Write(std::move(response));
  }

 private:
  template <typename Builder>
  void AddHeaders(Builder& builder, Response& response) {
    if (!response.content_type.empty()) {
      builder.append_header(restinio::http_field::content_type, std::move(response.content_type));
    }
    for (auto& [name, value] : response.headers) {
      builder.append_header(std::move(name), std::move(value));
    }
    // Tell keep-alive clients to go elsewhere while we drain.
    if (core_->draining.load(std::memory_order_relaxed)) builder.connection_close();
  }

  // Hands the response to the connection's strand (safe from any thread).
  // in_flight.End() runs once the bytes are written, fail or are dropped.
  void Write(Response response) noexcept {
    const int status = response.status;
    const std::size_t body_bytes = response.body.size();
    // Reported before the hand-over, so the log line and the metrics exist
    // once the client has its answer.
    Report(status, body_bytes);
    bool handed_over = false;
    try {
      restinio::http_status_line_t line{
          restinio::http_status_code_t{static_cast<std::uint16_t>(status)}, ReasonPhrase(status)};
      InFlightTracker* tracker = &core_->in_flight;
      auto written = [tracker](const asio::error_code&) { tracker->End(); };
      if (status == 304) {
        // No body; RESTinio always sends Content-Length, and for a 304 the
        // only value RFC 9110 8.6 allows is the 200 answer's length.
        auto builder = req_->create_response<restinio::user_controlled_output_t>(std::move(line));
        AddHeaders(builder, response);
        builder.set_content_length(response.not_modified_length);
        handed_over = true;
        builder.done(written);
      } else if (method_ == Method::kHead) {
        // Same headers as GET, including its Content-Length, but no body.
        auto builder = req_->create_response<restinio::user_controlled_output_t>(std::move(line));
        AddHeaders(builder, response);
        builder.set_content_length(body_bytes);
        handed_over = true;
        builder.done(written);
      } else {
        auto builder = req_->create_response(std::move(line));
        AddHeaders(builder, response);
        builder.set_body(std::move(response.body));
        handed_over = true;
        builder.done(written);
      }
    } catch (const std::exception& e) {
      logging::Error("request " + request_id_ + ": cannot write response: " + e.what());
      // Before done() the callback cannot have been registered. A failure
      // inside done() (allocation) may leave the count one high; Stop then
      // waits its full grace.
      if (!handed_over) core_->in_flight.End();
    }
  }

  void Report(int status, std::size_t body_bytes) noexcept {
    if (!core_->reports) return;
    AccessLogEntry entry;
    entry.method = method_;
    entry.path = path_;
    entry.client = client_;
    entry.route = route_;
    entry.status = status;
    entry.duration = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - start_);
    entry.request_id = request_id_;
    entry.body_bytes = body_bytes;
    // Both are documented not to throw; a broken one must not take the event
    // loop down with it, nor keep the other from hearing.
    try {
      if (core_->options.access_log) core_->options.access_log(entry);
    } catch (...) {
    }
    try {
      if (core_->options.observer != nullptr) core_->options.observer->OnRequestAnswered(entry);
    } catch (...) {
    }
  }

  // First member, so destroyed last: req_ holds the connection's socket,
  // which must go before the io_context that Core owns.
  std::shared_ptr<Core> core_;
  restinio::request_handle_t req_;
  std::string request_id_;
  Method method_;
  std::string path_;    // only kept for the access log
  std::string client_;  // only kept for the access log
  std::string_view route_;  // a pattern held by the router; only set when reported
  std::chrono::steady_clock::time_point start_;
  std::atomic<bool> answered_{false};
};

// Copies RESTinio's request into ours. Returns false (and answers 431) when
// the headers together exceed max_header_bytes.
bool BuildRequest(const restinio::request_t& req, const Core& core, ResponseState& state,
                  Request& request) {
  std::size_t header_bytes = 0;
  request = RequestFromHeader(req.header(), req.body(), &header_bytes);
  request.request_id = state.request_id();
  if (header_bytes > core.options.max_header_bytes) {
    // Not dispatched: label the answer by the route the path would have had.
    if (std::string_view* route = state.route_slot()) {
      *route = core.router->PatternOf(request.method, request.path);
    }
    Request refused;
    refused.method = request.method;
    refused.path = std::move(request.path);
    refused.request_id = state.request_id();
    core.router->Reject(std::move(refused), 431, core.options.max_header_bytes,
                        "request headers of " + std::to_string(header_bytes) +
                            " bytes exceed the limit of " +
                            std::to_string(core.options.max_header_bytes) + " bytes",
                        [&state](Response response) { state.Answer(std::move(response)); });
    return false;
  }
  if (core.options.record_client_address) {
    request.client_address = req.remote_endpoint().address().to_string();
  }
  return true;
}

// The answer to a request refused while parsing, reported like any other.
std::string RenderRefusal(const Core& core, const Refusal& refusal) {
  Request request;
  request.method = refusal.method;
  request.path = refusal.path;
  const std::string request_id = NextRequestId();
  request.request_id = request_id;
  Response response = JsonErrorResponse(refusal.status, refusal.message);
  core.router->Reject(std::move(request), refusal.status, refusal.limit, refusal.message,
                      [&response](Response answer) { response = std::move(answer); });
  if (core.reports) {
    AccessLogEntry entry;
    entry.method = refusal.method;
    entry.path = refusal.path;
    entry.status = response.status;
    entry.body_bytes = response.body.size();
    entry.request_id = request_id;
    try {
      if (core.options.access_log) core.options.access_log(entry);
    } catch (...) {
    }
    try {
      if (core.options.observer != nullptr) core.options.observer->OnRequestAnswered(entry);
    } catch (...) {
    }
  }
  return SerializeClosingAnswer(response);
}

restinio::request_handling_status_t RequestHandler::operator()(
    restinio::request_handle_t req) const {
  core->in_flight.Begin();
  std::shared_ptr<ResponseState> state;
  try {
    const Method method = ToMethod(req->header().method());
    state = std::make_shared<ResponseState>(core->shared_from_this(), req, method);
  } catch (const std::exception& e) {
    core->in_flight.End();
    logging::Error(std::string("cannot start handling a request: ") + e.what());
    return restinio::request_rejected();  // RESTinio answers 501 and closes
  }
  try {
    Request request;
    if (BuildRequest(*req, *core, *state, request)) {
      core->router->Dispatch(std::move(request),
                             [state](Response response) { state->Answer(std::move(response)); },
                             state->route_slot());
    }
  } catch (const std::exception& e) {
    logging::Error("request " + state->request_id() + ": handler threw: " + e.what());
    state->AnswerIfPending(InternalError(state->request_id()));
  } catch (...) {
    logging::Error("request " + state->request_id() + ": handler threw a non-exception");
    state->AnswerIfPending(InternalError(state->request_id()));
  }
  return restinio::request_accepted();
}

std::string DescribeListenError(const std::error_code& ec) {
  // asio reports socket errors in its own category holding errno values.
  if (ec.category() == asio::error::get_system_category() ||
      ec.category() == std::system_category()) {
    if (const char* text = DescribeListenErrno(ec.value())) return text;
  }
  std::string text = ec.message();
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

void RunLoop(asio::io_context& io) {
  while (true) {
    try {
      io.run();
      return;
    } catch (const std::exception& e) {
      // run() may be called again after a handler threw; keep serving.
      logging::Error(std::string("event loop: unexpected exception: ") + e.what());
    } catch (...) {
      logging::Error("event loop: unexpected non-exception");
    }
  }
}

// RESTinio's close_async() closes the acceptor on one strand while its
// accept loop uses it from another thread without a lock (a race TSan
// found), and shutdown(2) on a listening socket resets the connections in
// its backlog, also for other processes sharing it (a successor, systemd).
// So this process's descriptor is replaced, atomically, by an unbound socket
// under the same number: the listening socket closes if nobody else holds
// it, and otherwise stays with them. Our pending accept either never
// completes or fails on the unbound socket (EINVAL), which ends RESTinio's
// accept loop; the placeholder closes with the acceptor in ~Core, with no
// loop running. A stale epoll registration of the shared socket stays in
// our io_context until then, harmlessly (it holds no connection).
void StopAccepting(int listen_fd) {
  const int placeholder = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (placeholder >= 0 && ::dup3(placeholder, listen_fd, O_CLOEXEC) >= 0) {
    ::close(placeholder);
    return;
  }
  if (placeholder >= 0) ::close(placeholder);
  // Out of descriptors: refuse and reset rather than keep accepting.
  logging::Warn("cannot replace the listening socket's descriptor; shutting it down");
  ::shutdown(listen_fd, SHUT_RDWR);
}

class ServerImpl final : public Server {
 public:
  ServerImpl(std::shared_ptr<Core> core, std::uint16_t port, int listen_fd)
      : core_(std::move(core)), port_(port), listen_fd_(listen_fd) {}
  ~ServerImpl() override { Stop(std::chrono::milliseconds(0)); }

  // Returns false (with the loops stopped) when not every thread started.
  bool StartThreads(std::size_t count) {
    try {
      threads_.reserve(count);
      for (std::size_t i = 0; i < count; ++i) {
        threads_.emplace_back([core = core_.get()] {
          NameCurrentThread("http");
          RunLoop(core->io);
        });
      }
      return true;
    } catch (const std::system_error& e) {
      logging::Error(std::string("cannot start event-loop thread: ") + e.what());
      Stop(std::chrono::milliseconds(0));
      return false;
    }
  }

  std::uint16_t port() const override { return port_; }
  int listen_fd() const override { return listen_fd_; }

  void Stop(std::chrono::milliseconds grace) override {
    if (core_ == nullptr) return;
    const auto deadline = std::chrono::steady_clock::now() + grace;
    core_->draining.store(true);
    StopAccepting(listen_fd_);
    // A connection accepted just before has its request on the way (on
    // loopback usually already there) but not yet counted as in flight:
    // closing it unanswered would lose a request the client has sent. So
    // the wait for idle starts once the newest connection has had a moment.
    const auto settled =
        std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(
            core_->last_accept.load(std::memory_order_relaxed))) +
        kAcceptSettle;
    std::this_thread::sleep_until(std::min(settled, deadline));
    core_->in_flight.WaitIdle(deadline);
    core_->io.stop();
    for (std::thread& thread : threads_) thread.join();
    threads_.clear();
    // Destroys the io_context (closing every connection) unless a late
    // Responder still holds the core; then the last one does.
    core_.reset();
  }

 private:
  std::shared_ptr<Core> core_;
  std::uint16_t port_;
  int listen_fd_;  // owned by RESTinio's acceptor
  std::vector<std::thread> threads_;
};

// Creates and opens the RESTinio server on core.io (throws on failure).
template <typename Traits>
std::shared_ptr<void> OpenServer(Core& core, const asio::ip::address& address, bool inherited,
                                 const sockaddr_storage& inherited_address,
                                 std::uint16_t* bound_port, int* listen_fd) {
  const ServerOptions& options = core.options;
  const RequestGuardLimits limits = ParserLimits(options);
  auto settings = restinio::server_settings_t<Traits>{}
                      .address(address)
                      .port(inherited ? std::uint16_t{0} : options.port)
                      .request_handler(&core)
                      .read_next_http_message_timelimit(options.read_timeout)
                      .write_http_response_timelimit(options.write_timeout)
                      .handle_request_timeout(options.response_timeout)
                      .max_pipelined_requests(kMaxPipelinedRequests)
                      .buffer_size(kReadBufferBytes)
                      .max_parallel_connections(FitConnectionLimit(options.max_connections))
                      // One accept at a time: RESTinio 0.6.16 numbers new
                      // connections with a plain counter, which parallel
                      // accepts would race on (found by TSan). Accepted
                      // connections still run on every thread.
                      .concurrent_accepts_count(1)
                      .connection_state_listener(
                          std::make_shared<ConnectionListener>(options.observer,
                                                               &core.last_accept))
                      // Without TCP_NODELAY the last segment of a large
                      // answer waits for the client's delayed ACK (up to
                      // 40 ms): Nagle's algorithm.
                      .socket_options_setter([](restinio::socket_options_t& socket) {
                        asio::error_code ignored;  // a socket without it still works
                        socket.set_option(asio::ip::tcp::no_delay{true}, ignored);
                      })
                      .incoming_http_msg_limits(
                          restinio::incoming_http_msg_limits_t{}
                              .max_url_size(limits.max_url_size)
                              .max_field_name_size(limits.max_field_name_size)
                              .max_field_value_size(limits.max_field_value_size)
                              .max_field_count(limits.max_field_count)
                              .max_body_size(limits.max_body_size))
                      .acceptor_post_bind_hook([&](asio::ip::tcp::acceptor& acceptor) {
                        if (inherited) {
                          acceptor.close();
                          acceptor.assign(inherited_address.ss_family == AF_INET6
                                              ? asio::ip::tcp::v6()
                                              : asio::ip::tcp::v4(),
                                          options.listen_fd);
                        }
                        *bound_port = acceptor.local_endpoint().port();
                        *listen_fd = acceptor.native_handle();
                      });
  auto server = std::make_shared<restinio::http_server_t<Traits>>(
      restinio::external_io_context(core.io), std::move(settings));
  server->open_sync();
  return server;
}

}  // namespace

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, const Router* router) {
  if (router == nullptr) return Status::InvalidArgument("http server started without a router");
  std::error_code ec;
  const bool inherited = options.listen_fd >= 0;
  // An inherited socket: RESTinio binds a throwaway one, which the post-bind
  // hook swaps for it (RESTinio 0.6 cannot adopt an acceptor); the listen()
  // that follows on an already listening socket only resets its backlog
  // length.
  const asio::ip::address address = asio::ip::make_address(
      inherited ? "127.0.0.1" : options.host == "localhost" ? "127.0.0.1" : options.host, ec);
  const std::string where =
      inherited ? "the inherited socket (descriptor " + std::to_string(options.listen_fd) + ")"
                : (!ec && address.is_v6() ? "[" + options.host + "]" : options.host) + ":" +
                      std::to_string(options.port);
  sockaddr_storage inherited_address{};
  if (inherited) {
    socklen_t length = sizeof(inherited_address);
    if (::getsockname(options.listen_fd, reinterpret_cast<sockaddr*>(&inherited_address),
                      &length) != 0) {
      return Status::Unavailable("cannot listen on " + where + ": not a socket");
    }
  }
  if (ec) {
    return Status::Unavailable("cannot listen on " + where +
                               ": invalid address (expected an IP address or localhost)");
  }
  const std::size_t threads =
      options.threads != 0 ? options.threads : EventLoopThreadsFor(UsableCores());

  std::shared_ptr<Core> core;
  std::uint16_t bound_port = 0;
  int listen_fd = -1;
  try {
    core = std::make_shared<Core>(options, router, threads);
    core->server =
        threads == 1
            ? OpenServer<SingleThreadTraits>(*core, address, inherited, inherited_address,
                                             &bound_port, &listen_fd)
            : OpenServer<MultiThreadTraits>(*core, address, inherited, inherited_address,
                                            &bound_port, &listen_fd);
  } catch (const std::system_error& e) {
    return Status::Unavailable("cannot listen on " + where + ": " + DescribeListenError(e.code()));
  } catch (const std::exception& e) {
    return Status::Unavailable("cannot listen on " + where + ": " + e.what());
  }

  auto server = std::make_unique<ServerImpl>(std::move(core), bound_port, listen_fd);
  if (!server->StartThreads(threads)) {
    return Status::Unavailable("cannot listen on " + where + ": cannot start event-loop threads");
  }
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace spinlog::http
