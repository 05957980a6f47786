// ServerFixture: starts a Server on 127.0.0.1, port 0, over the fixture's
// Router, and joins the helper threads that async handlers spawn.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "http/server.h"
#include "unit/http/test_client.h"

namespace spinlog::http::testing {

class ServerFixture : public ::testing::Test {
 protected:
  // Starts the server; tests add routes to router_ first.
  void StartServer(ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    if (options.threads == 0) options.threads = 2;
    auto started = Server::Start(options, &router_);
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    server_ = std::move(started).value();
    ASSERT_NE(server_->port(), 0);
  }

  void TearDown() override {
    JoinSpawned();
    if (server_ != nullptr) server_->Stop(std::chrono::seconds(1));
  }

  // Runs `work` on its own thread (as a handler's worker would).
  void Spawn(std::function<void()> work) {
    std::lock_guard<std::mutex> lock(mu_);
    spawned_.emplace_back(std::move(work));
  }

  void JoinSpawned() {
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mu_);
      threads.swap(spawned_);
    }
    for (std::thread& thread : threads) thread.join();
  }

  std::uint16_t port() const { return server_->port(); }

  Router router_;
  std::unique_ptr<Server> server_;

 private:
  std::mutex mu_;
  std::vector<std::thread> spawned_;
};

// A handler answering 200 with a fixed body.
inline Handler Answer(std::string body) {
  return [body](Request&&, Responder respond) {
    Response response;
    response.body = body;
    respond(std::move(response));
  };
}

}  // namespace spinlog::http::testing
