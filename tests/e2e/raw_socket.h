// RawSocket: a loopback TCP connection for tests of misbehaving clients
// (slow senders, clients that never read, thousands of idle connections),
// where HttpConnection's blocking request/answer model does not fit.
//
// Thread-safety: one thread per socket.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace spinlog::e2e {

class RawSocket {
 public:
  // Connects to 127.0.0.1:port (blocking); check connected(). With
  // `receive_buffer` > 0, SO_RCVBUF is set before connecting.
  explicit RawSocket(std::uint16_t port, int receive_buffer = 0);
  ~RawSocket();
  RawSocket(RawSocket&& other) noexcept;
  RawSocket& operator=(RawSocket&&) = delete;
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  bool connected() const { return fd_ >= 0; }
  int fd() const { return fd_; }

  // Sends all of `bytes` without blocking longer than `timeout`; false when
  // the peer closed or reset the connection, or on timeout.
  bool Send(std::string_view bytes,
            std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));

  // Whether the server has closed (EOF or reset) the connection, waiting at
  // most `timeout`; data that arrives first is appended to received().
  bool ClosedWithin(std::chrono::milliseconds timeout);

  // Reads until `received()` holds a complete answer (headers and
  // Content-Length body) or `timeout`; returns its status, or 0. The answer
  // is removed from received().
  int ReadAnswer(std::chrono::milliseconds timeout);

  const std::string& received() const { return received_; }
  void Close();

 private:
  int fd_ = -1;
  std::string received_;
};

// Raises this process's soft RLIMIT_NOFILE to at least `wanted` (up to the
// hard limit); returns the soft limit in force afterwards.
std::size_t RaiseOpenFileLimit(std::size_t wanted);
// The hard RLIMIT_NOFILE of this process.
std::size_t HardOpenFileLimit();

}  // namespace spinlog::e2e
