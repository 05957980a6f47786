#include "observability/http_metrics.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

namespace spinlog::observability {
namespace {

using http::Method;

http::Handler Ignore() {
  return [](http::Request&&, http::Responder) {};
}

class HttpMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add(Method::kGet, "/items/{id}", {}, Ignore());
    router_.Add(Method::kPost, "/items", {}, Ignore());
    // Made after the routes, as the server's wiring does.
    metrics_ = std::make_unique<HttpMetrics>(router_);
  }

  void Answer(std::string_view route, Method method, int status, int micros) {
    http::AccessLogEntry entry;
    entry.route = route;
    entry.method = method;
    entry.status = status;
    entry.duration = std::chrono::microseconds(micros);
    metrics_->OnRequestAnswered(entry);
  }

  std::string Page() {
    PrometheusText page;
    metrics_->Write(page);
    return page.Take();
  }

  http::Router router_;
  std::unique_ptr<HttpMetrics> metrics_;
};

bool Has(const std::string& page, const std::string& line) {
  return page.find(line + "\n") != std::string::npos;
}

TEST_F(HttpMetricsTest, CountsByRoutePatternMethodAndStatus) {
  Answer("/items/{id}", Method::kGet, 200, 30);
  Answer("/items/{id}", Method::kGet, 200, 40);
  Answer("/items/{id}", Method::kGet, 404, 10);
  Answer("/items", Method::kPost, 201, 2000);
  const std::string page = Page();
  EXPECT_TRUE(
      Has(page, R"(spinlog_http_requests_total{route="/items/{id}",method="GET",status="200"} 2)"))
      << page;
  EXPECT_TRUE(
      Has(page, R"(spinlog_http_requests_total{route="/items/{id}",method="GET",status="404"} 1)"))
      << page;
  EXPECT_TRUE(
      Has(page, R"(spinlog_http_requests_total{route="/items",method="POST",status="201"} 1)"))
      << page;
  EXPECT_TRUE(Has(
      page, R"(spinlog_http_request_duration_seconds_count{route="/items/{id}",method="GET"} 3)"))
      << page;
  EXPECT_TRUE(Has(
      page,
      R"(spinlog_http_request_duration_seconds_bucket{route="/items/{id}",method="GET",le="2.5e-05"} 1)"))
      << page;
  EXPECT_TRUE(Has(
      page, R"(spinlog_http_request_duration_seconds_sum{route="/items/{id}",method="GET"} 8e-05)"))
      << page;
  EXPECT_TRUE(Has(
      page,
      R"(spinlog_http_request_duration_seconds_bucket{route="/items",method="POST",le="0.001"} 0)"))
      << page;
  EXPECT_TRUE(Has(
      page,
      R"(spinlog_http_request_duration_seconds_bucket{route="/items",method="POST",le="0.0025"} 1)"))
      << page;
}

TEST_F(HttpMetricsTest, UnknownRoutesAndMethodsCountAsUnmatched) {
  Answer("", Method::kGet, 404, 5);
  Answer("/not/a/route", Method::kGet, 404, 5);
  // A route that does not serve the method (the server would not label it so).
  Answer("/items", Method::kDelete, 405, 5);
  const std::string page = Page();
  EXPECT_TRUE(
      Has(page, R"(spinlog_http_requests_total{route="unmatched",method="GET",status="404"} 2)"))
      << page;
  EXPECT_TRUE(
      Has(page, R"(spinlog_http_requests_total{route="unmatched",method="DELETE",status="405"} 1)"))
      << page;
  EXPECT_EQ(page.find("/not/a/route"), std::string::npos) << page;
}

TEST_F(HttpMetricsTest, HeadIsCountedOnGetRoutes) {
  Answer("/items/{id}", Method::kHead, 200, 5);
  EXPECT_TRUE(Has(
      Page(), R"(spinlog_http_requests_total{route="/items/{id}",method="HEAD",status="200"} 1)"));
}

TEST_F(HttpMetricsTest, StatusesOutsideTheRangeCountAsOther) {
  Answer("/items", Method::kPost, 99, 5);
  Answer("/items", Method::kPost, 600, 5);
  EXPECT_TRUE(
      Has(Page(), R"(spinlog_http_requests_total{route="/items",method="POST",status="other"} 2)"));
}

TEST_F(HttpMetricsTest, SeriesWithoutAnswersAreLeftOut) {
  const std::string page = Page();
  EXPECT_EQ(page.find("spinlog_http_requests_total{"), std::string::npos) << page;
  EXPECT_EQ(page.find("spinlog_http_request_duration_seconds_bucket"), std::string::npos) << page;
  EXPECT_NE(page.find("# TYPE spinlog_http_request_duration_seconds histogram"), std::string::npos);
}

TEST_F(HttpMetricsTest, OpenConnectionsGoUpAndDown) {
  metrics_->OnConnectionOpened();
  metrics_->OnConnectionOpened();
  metrics_->OnConnectionClosed();
  EXPECT_TRUE(Has(Page(), "spinlog_http_open_connections 1"));
  metrics_->OnConnectionClosed();
  EXPECT_TRUE(Has(Page(), "spinlog_http_open_connections 0"));
}

}  // namespace
}  // namespace spinlog::observability
