// RequestGuard: plain requests that arrive whole skip the exact parser; the
// verdicts must be the same as the exact parser's alone (quick_scan false),
// fed the same pieces.
#include "http/request_guard.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace spinlog::http {
namespace {

RequestGuardLimits SmallLimits() {
  RequestGuardLimits limits;
  limits.max_url_size = 32;
  limits.max_field_name_size = 16;
  limits.max_field_value_size = 16;
  limits.max_field_count = 4;
  limits.max_body_size = 10;
  limits.max_header_bytes = 32;
  return limits;
}

struct Verdict {
  std::uint64_t requests = 0;
  std::optional<Refusal> refusal;
};

// Feeds `stream` in chunks of `chunk` bytes (0: all at once), then answers
// every request parsed, and takes the refusal.
Verdict Feed(const std::string& stream, std::size_t chunk, bool quick_scan = true) {
  RequestGuard guard(SmallLimits(), quick_scan);
  const std::size_t step = chunk == 0 ? stream.size() : chunk;
  for (std::size_t at = 0; at < stream.size(); at += step) {
    const std::string piece = stream.substr(at, step);
    guard.OnReceived(piece.data(), piece.size());
  }
  const std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  for (std::uint64_t i = 0; i < guard.requests_parsed(); ++i) {
    guard.OnSent(answer.data(), answer.size());
  }
  Verdict verdict;
  verdict.requests = guard.requests_parsed();
  verdict.refusal = guard.TakeRefusal();
  return verdict;
}

void ExpectSameAsExact(const std::string& stream) {
  for (std::size_t chunk : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{64}}) {
    SCOPED_TRACE("chunk " + std::to_string(chunk) + " of: " + stream);
    const Verdict exact = Feed(stream, chunk, false);
    const Verdict quick = Feed(stream, chunk);
    EXPECT_EQ(quick.requests, exact.requests);
    ASSERT_EQ(quick.refusal.has_value(), exact.refusal.has_value());
    if (exact.refusal) {
      EXPECT_EQ(quick.refusal->status, exact.refusal->status);
      EXPECT_EQ(quick.refusal->limit, exact.refusal->limit);
      EXPECT_EQ(quick.refusal->message, exact.refusal->message);
      EXPECT_EQ(quick.refusal->method, exact.refusal->method);
      EXPECT_EQ(quick.refusal->path, exact.refusal->path);
    }
  }
}

const std::string kPlain = "GET /get_top?channels=%5B%5D&x=1 HTTP/1.1\r\nHost: a\r\n\r\n";

TEST(RequestGuardTest, PipelinedPlainRequestsAreCounted) {
  const std::string stream = kPlain + "HEAD /a HTTP/1.1\r\nHost: a\r\n\r\n" +
                             "POST /add_play HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc" + kPlain;
  const Verdict verdict = Feed(stream, 0);
  EXPECT_EQ(verdict.requests, 4u);
  EXPECT_FALSE(verdict.refusal.has_value());
  ExpectSameAsExact(stream);
}

TEST(RequestGuardTest, RefusalAfterPlainRequestsNamesTheRequest) {
  const Verdict verdict = Feed(kPlain + "GET /api/v1/" + std::string(40, 'a') + " HTTP/1.1\r\n\r\n", 0);
  EXPECT_EQ(verdict.requests, 1u);
  ASSERT_TRUE(verdict.refusal.has_value());
  EXPECT_EQ(verdict.refusal->status, 431);
  EXPECT_EQ(verdict.refusal->method, Method::kGet);
  EXPECT_EQ(verdict.refusal->path.substr(0, 8), "/api/v1/");
}

TEST(RequestGuardTest, EveryVerdictIsTheExactParsers) {
  const std::vector<std::string> requests = {
      kPlain,
      "GET /" + std::string(31, 'u') + " HTTP/1.1\r\n\r\n",  // target at the limit
      "GET /" + std::string(32, 'u') + " HTTP/1.1\r\n\r\n",  // one over
      "GET /a HTTP/1.1\r\n" + std::string(16, 'n') + ": v\r\n\r\n",
      "GET /a HTTP/1.1\r\n" + std::string(17, 'n') + ": v\r\n\r\n",
      "GET /a HTTP/1.1\r\nName: " + std::string(14, 'v') + "\r\n\r\n",
      "GET /a HTTP/1.1\r\nName: " + std::string(15, 'v') + "\r\n\r\n",
      "GET /a HTTP/1.1\r\nName: " + std::string(16, 'v') + "\r\n\r\n",
      "GET /a HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n",
      "GET /a HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n",
      "GET /a HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n",
      "GET /a HTTP/1.1\r\nEmpty:\r\nLongername: v\r\n\r\n",
      "GET /a HTTP/1.1\r\nEmpty: \r\nB: v\r\n\r\n",
      "GET /a HTTP/1.1\r\nTrailing: v   \r\n\r\n",
      "GET /a HTTP/1.1\r\nTab:\tv\r\n\r\n",
      "GET /a HTTP/1.1\r\nFolded: v\r\n w\r\n\r\n",
      "POST /a HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789",
      "POST /a HTTP/1.1\r\nContent-Length: 11\r\n\r\n0123456789a",
      "POST /a HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab",
      "POST /a HTTP/1.1\r\nContent-Length: x\r\n\r\n",
      "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
      "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nb\r\n0123456789a\r\n0\r\n\r\n",
      // http_parser takes a name that begins with "Transfer-Encoding" for
      // one (found by http_request_fuzz).
      "GET /a HTTP/1.1\r\nTransfer-EncodingX: t\r\n\r\n",
      "GET /a HTTP/1.1\r\ntransfer-encoding-x: chunked\r\n\r\n",
      "GET /a HTTP/1.1\r\nContent-LengthX: 5\r\n\r\n",
      "GET /a HTTP/1.1\r\nUpgradeX: websocket\r\n\r\n",
      "GET /a HTTP/1.1\r\nConnectionX: close\r\n\r\n",
      "GET /a HTTP/1.1\r\nConnection: close\r\n\r\n",
      "GET /a HTTP/1.0\r\n\r\n",
      "GET /a HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
      "\r\nGET /a HTTP/1.1\r\n\r\n",
      "get /a HTTP/1.1\r\n\r\n",
      "GET /a#frag HTTP/1.1\r\n\r\n",
      "GET /\xc3\xa9 HTTP/1.1\r\n\r\n",
      "GET /a HTTP/1.1\r\nBad Header\r\n\r\n",
      "GET /a HTTP/1.1\r\nName: v\x01w\r\n\r\n",
      "GET /a HTTP/1.1\nName: v\n\n",
      "BREW /pot HTTP/1.1\r\n\r\n",
      "GET a HTTP/1.1\r\n\r\n",
      "GET /a HTTP/1.1\r\n\r\n",
  };
  for (const std::string& first : requests) {
    for (const std::string& second : requests) ExpectSameAsExact(first + second + kPlain);
  }
}

// Answers: counted the same whole or byte by byte, HEAD answers without
// their body, and a refusal only once every earlier answer is out.
std::uint64_t AnswersSent(const std::string& requests, const std::string& answers,
                          std::size_t chunk, bool quick_scan = true) {
  RequestGuard guard(SmallLimits(), quick_scan);
  guard.OnReceived(requests.data(), requests.size());
  const std::size_t step = chunk == 0 ? answers.size() : chunk;
  for (std::size_t at = 0; at < answers.size(); at += step) {
    const std::string piece = answers.substr(at, step);
    guard.OnSent(piece.data(), piece.size());
  }
  return guard.answers_sent();
}

TEST(RequestGuardTest, AnswersAreCountedAsTheExactParserCounts) {
  const std::string requests = kPlain + "HEAD /a HTTP/1.1\r\n\r\n" + kPlain + kPlain;
  const std::string ok = "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\nhello";
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
  const std::vector<std::string> thirds = {
      ok,
      "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
      "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\nContent-Length: 2\r\n\r\nno",
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel",  // cut short
  };
  for (const std::string& third : thirds) {
    const std::string answers = ok + head + third + ok;
    for (std::size_t chunk : {std::size_t{0}, std::size_t{1}, std::size_t{5}, std::size_t{40}}) {
      EXPECT_EQ(AnswersSent(requests, answers, chunk), AnswersSent(requests, answers, chunk, false))
          << "chunk " << chunk << ": " << third;
    }
  }
  EXPECT_EQ(AnswersSent(requests, ok + head + ok + ok, 0), 4u);
}

TEST(RequestGuardTest, RefusalWaitsForEarlierAnswers) {
  RequestGuard guard(SmallLimits());
  const std::string requests = kPlain + "GET /a HTTP/1.1\r\nBad Header\r\n\r\n";
  guard.OnReceived(requests.data(), requests.size());
  EXPECT_FALSE(guard.TakeRefusal().has_value());  // the first is unanswered
  const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  guard.OnSent(ok.data(), 20);
  EXPECT_FALSE(guard.TakeRefusal().has_value());  // answered in part
  guard.OnSent(ok.data() + 20, ok.size() - 20);
  const std::optional<Refusal> refusal = guard.TakeRefusal();
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->status, 400);
  EXPECT_EQ(refusal->path, "/a");
}

}  // namespace
}  // namespace spinlog::http
