// GuardedSocket: the TCP socket type the server gives RESTinio
// (Traits::stream_socket_t). It passes every byte through a RequestGuard
// (http/request_guard.h) and, when RESTinio closes the connection after
// refusing a request in its parser, first writes that request's answer
// (400, 413 or 431, "Connection: close"), so that the client learns why.
//
// RESTinio constructs sockets from the io_context alone, so the guard's
// configuration travels with the io_context: a GuardedIoContext.
//
// Internal to src/http (includes asio); only server.cc uses it.
#pragma once

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <memory>
#include <optional>
#include <restinio/asio_include.hpp>
#include <restinio/tls_fwd.hpp>
#include <string>
#include <utility>

#include "http/request_guard.h"

namespace spinlog::http {

struct SocketGuardConfig {
  RequestGuardLimits limits;
  // The raw HTTP/1.1 answer to a refused request; called on the
  // connection's thread; must not throw.
  std::function<std::string(const Refusal& refusal)> render;
};

// An io_context whose pending handlers can be destroyed before it is, and
// that carries the guard configuration to the sockets made on it.
class GuardedIoContext : public asio::io_context {
 public:
  GuardedIoContext(int threads, SocketGuardConfig config)
      : asio::io_context(threads), config_(std::move(config)) {}
  using asio::execution_context::shutdown;
  const SocketGuardConfig& guard_config() const { return config_; }

 private:
  const SocketGuardConfig config_;
};

class GuardedSocket {
 public:
  using socket_t = asio::ip::tcp::socket;
  using executor_type = socket_t::executor_type;

  // REQUIRES: `io` is a GuardedIoContext (RESTinio passes the server's).
  explicit GuardedSocket(asio::io_context& io)
      : socket_(io), config_(&static_cast<GuardedIoContext&>(io).guard_config()) {}
  GuardedSocket(GuardedSocket&&) = default;
  GuardedSocket& operator=(GuardedSocket&&) = default;
  GuardedSocket(const GuardedSocket&) = delete;
  GuardedSocket& operator=(const GuardedSocket&) = delete;

  socket_t& lowest_layer() { return socket_; }
  const socket_t& lowest_layer() const { return socket_; }
  executor_type get_executor() { return socket_.get_executor(); }
  auto remote_endpoint() const { return socket_.remote_endpoint(); }
  bool is_open() const { return socket_.is_open(); }
  template <typename... Args>
  void cancel(Args&&... args) {
    socket_.cancel(std::forward<Args>(args)...);
  }

  template <typename MutableBuffers, typename Handler>
  void async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    RequestGuard* guard = Guard();
    auto executor = asio::get_associated_executor(handler, socket_.get_executor());
    socket_.async_read_some(
        buffers,
        asio::bind_executor(executor, [guard, buffers, inner = std::forward<Handler>(handler)](
                                          const asio::error_code& ec, std::size_t n) mutable {
          if (!ec) {
            ForEachByteRange(buffers, n, [guard](const char* p, std::size_t size) {
              guard->OnReceived(p, size);
            });
          }
          inner(ec, n);
        }));
  }

  // Writes what the kernel takes now, on the caller's strand, and counts it
  // in the guard before returning; the handler runs later (posted), as
  // asio's own speculative write would. Only when none of it fits does it
  // wait for room, and then writes and counts in that wait's handler, again
  // on the strand.
  //
  // Why not asio's async_write_some, counting in its handler: that handler
  // is queued after the kernel already has the bytes, and with several
  // event-loop threads the read handler of the client's next request can
  // reach the strand first. The guard then saw the request before the
  // answer it follows and dropped the refusal of an oversized request as
  // out of order: the client that had waited for each answer got a closed
  // connection instead of its 431 (ServerLimits test, ~1 in 100 under TSan).
  // Counted with the send, in the same strand handler, the answer is always
  // seen first: the client's next bytes can only follow it.
  //
  // REQUIRES: called on the connection's strand; the socket is not moved
  // while a write is pending (as asio's sockets, it must outlive the write).
  template <typename ConstBuffers, typename Handler>
  void async_write_some(const ConstBuffers& buffers, Handler&& handler) {
    auto executor = asio::get_associated_executor(handler, socket_.get_executor());
    auto inner = std::forward<Handler>(handler);
    asio::error_code ec;
    const std::size_t n = SendNow(buffers, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      WaitAndSend(buffers, std::move(inner), executor);
      return;
    }
    asio::post(executor, [inner = std::move(inner), ec, n]() mutable { inner(ec, n); });
  }

  // RESTinio's close: shutdown(both) then close(). A pending refusal is
  // written first.
  void shutdown(asio::socket_base::shutdown_type what, asio::error_code& ec) {
    AnswerRefusal();
    socket_.shutdown(what, ec);
  }
  template <typename... Args>
  void close(Args&&... args) {
    socket_.close(std::forward<Args>(args)...);
  }

 private:
  // Created on first use, on the connection's strand: a socket waiting in
  // the acceptor (and the moved-from one left behind) needs none.
  RequestGuard* Guard() {
    if (guard_ == nullptr) guard_ = std::make_unique<RequestGuard>(config_->limits);
    return guard_.get();
  }

  // One non-blocking send of what fits, counted in the guard: the bytes
  // written, or 0 and the error (would_block when the send buffer is full).
  template <typename ConstBuffers>
  std::size_t SendNow(const ConstBuffers& buffers, asio::error_code& ec) {
    if (!socket_.non_blocking()) {
      // Asio's async operations keep the descriptor non-blocking anyway;
      // this makes write_some say would_block instead of waiting.
      socket_.non_blocking(true, ec);
      if (ec) return 0;
    }
    const std::size_t n = socket_.write_some(buffers, ec);
    RequestGuard* guard = Guard();
    ForEachByteRange(buffers, n,
                     [guard](const char* p, std::size_t size) { guard->OnSent(p, size); });
    return n;
  }

  // Waits until the socket can take bytes, then sends and calls `inner`
  // from that handler (a continuation: no further post).
  template <typename ConstBuffers, typename Handler, typename Executor>
  void WaitAndSend(const ConstBuffers& buffers, Handler inner, const Executor& executor) {
    socket_.async_wait(
        asio::socket_base::wait_write,
        asio::bind_executor(executor, [this, buffers, executor, inner = std::move(inner)](
                                          const asio::error_code& wait_ec) mutable {
          if (wait_ec) {
            inner(wait_ec, 0);
            return;
          }
          asio::error_code ec;
          const std::size_t n = SendNow(buffers, ec);
          if (ec == asio::error::would_block || ec == asio::error::try_again) {
            WaitAndSend(buffers, std::move(inner), executor);
            return;
          }
          inner(ec, n);
        }));
  }

  template <typename Buffers, typename Fn>
  static void ForEachByteRange(const Buffers& buffers, std::size_t n, Fn&& fn) {
    for (auto it = asio::buffer_sequence_begin(buffers);
         n > 0 && it != asio::buffer_sequence_end(buffers); ++it) {
      const asio::const_buffer buffer(*it);
      const std::size_t size = std::min(n, buffer.size());
      fn(static_cast<const char*>(buffer.data()), size);
      n -= size;
    }
  }

  // Best effort and never blocking: the answer is small and the socket's
  // send buffer is empty (every earlier answer was written in full). Then
  // what the client already sent is read and dropped, so that closing does
  // not reset the connection (and with it the answer) for unread bytes.
  void AnswerRefusal() noexcept {
    if (guard_ == nullptr || !socket_.is_open()) return;
    try {
      std::optional<Refusal> refusal = guard_->TakeRefusal();
      if (!refusal) return;
      const std::string answer = config_->render(*refusal);
      const int fd = socket_.native_handle();
      std::size_t sent = 0;
      while (sent < answer.size()) {
        const ssize_t n =
            ::send(fd, answer.data() + sent, answer.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
      }
      ::shutdown(fd, SHUT_WR);
      char sink[16 << 10];
      for (std::size_t drained = 0; drained < (1u << 20);) {
        const ssize_t n = ::recv(fd, sink, sizeof sink, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        drained += static_cast<std::size_t>(n);
      }
    } catch (...) {
      // Allocation failed: the connection closes without an answer.
    }
  }

  socket_t socket_;
  const SocketGuardConfig* config_;
  std::unique_ptr<RequestGuard> guard_;
};

// RESTinio's customisation points for a socket type (found by argument-
// dependent lookup), as for its plain TCP socket: nothing to prepare, and no
// TLS for the connection state listener.
template <typename Connection, typename StartRead, typename Failed>
void prepare_connection_and_start_read(GuardedSocket& /*socket*/, Connection& /*connection*/,
                                       StartRead start_read, Failed /*failed*/) {
  start_read();
}

inline restinio::tls_socket_t* make_tls_socket_pointer_for_state_listener(
    GuardedSocket& /*socket*/) noexcept {
  return nullptr;
}

}  // namespace spinlog::http
