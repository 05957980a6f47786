// Raw bytes that are not valid HTTP/1.1 (garbage request lines, bad headers,
// bad lengths and chunking, hang-ups halfway): the server must refuse or close
// each without storing anything or going down.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "e2e/hostile_case.h"
#include "e2e/hostile_support.h"

namespace spinlog::e2e::hostile {
namespace {

using namespace std::string_literals;

std::vector<Case> HttpLevelCases() {
  const std::string host = "Host: 127.0.0.1\r\n";
  std::vector<Case> cases = {
      RawCase("a garbage request line", "GARBAGE\r\n\r\n"),
      RawCase("a request line without version", "GET /get_top\r\n\r\n"),
      RawCase("a request line with a bogus version", "GET /get_top HTTP/x.y\r\n" + host + "\r\n"),
      RawCase("an unknown method", "FROB /add_play HTTP/1.1\r\n" + host + "\r\n", {501}),
      RawCase("a TLS ClientHello", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"s),
      RawCase("a NUL in the request target", "GET /get_top\0x HTTP/1.1\r\n"s + host + "\r\n"),
      RawCase("a NUL in a header value", "GET /get_top HTTP/1.1\r\nX-A: a\0b\r\n"s + host + "\r\n"),
      RawCase("a header line without colon",
              "GET /get_top HTTP/1.1\r\nNoColonHere\r\n" + host + "\r\n"),
      RawCase("a header over 64 KiB", "GET /get_top HTTP/1.1\r\n" + host +
                                          "X-Big: " + std::string(70 << 10, 'x') + "\r\n\r\n"),
      RawCase("2000 headers",
              [&] {
                std::string r = "GET /get_top HTTP/1.1\r\n" + host;
                for (int i = 0; i < 2000; ++i)
                  r += "X-H" + std::to_string(i) + ": " + std::string(40, 'v') + "\r\n";
                return r + "\r\n";
              }()),
      RawCase("a 100 KiB URL", "GET /get_top?channels=" + std::string(100 << 10, 'u') +
                                   " HTTP/1.1\r\n" + host + "\r\n"),
      RawCase("a non-numeric Content-Length",
              "POST /add_channel HTTP/1.1\r\n" + host +
                  "Content-Length: abc\r\n\r\nname=Ghost%20Channel"),
      RawCase("a negative Content-Length", "POST /add_channel HTTP/1.1\r\n" + host +
                                               "Content-Length: -20\r\n\r\nname=Ghost%20Channel"),
      RawCase("two different Content-Lengths",
              "POST /add_channel HTTP/1.1\r\n" + host +
                  "Content-Length: 5\r\nContent-Length: 7\r\n\r\nname=ab"),
      RawCase("a chunk size that is not hex",
              "POST /add_channel HTTP/1.1\r\n" + host +
                  "Transfer-Encoding: chunked\r\n\r\nzz\r\nname=Ghost\r\n0\r\n\r\n"),
      RawCase("a chunk size that overflows",
              "POST /add_channel HTTP/1.1\r\n" + host +
                  "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\nname\r\n"),
  };
  Case partial_headers =
      RawCase("headers cut off, then hang up", "POST /add_channel HTTP/1.1\r\n" + host +
                                                   "Content-Type: application/x-www-form-urlen");
  partial_headers.hang_up = true;
  cases.push_back(std::move(partial_headers));
  Case partial_body =
      RawCase("a body shorter than its Content-Length, then hang up",
              "POST /add_channel HTTP/1.1\r\n" + host +
                  "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
                  "name=Ghost%20Channel");
  partial_body.hang_up = true;
  cases.push_back(std::move(partial_body));
  Case partial_line = RawCase("a request line cut off, then hang up", "POST /add_pl");
  partial_line.hang_up = true;
  cases.push_back(std::move(partial_line));
  return cases;
}

TEST_F(HostileRequests, HttpLevelGarbageIsRefusedWithoutBringingTheServerDown) {
  RunCases(HttpLevelCases());
}

}  // namespace
}  // namespace spinlog::e2e::hostile
