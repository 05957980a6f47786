#include "http/request_guard.h"

#include <algorithm>
#include <array>
#include <climits>
#include <string_view>

namespace spinlog::http {
namespace {

Method MethodOf(const http_parser* parser) {
  switch (static_cast<http_method>(parser->method)) {
    case HTTP_GET:
      return Method::kGet;
    case HTTP_HEAD:
      return Method::kHead;
    case HTTP_POST:
      return Method::kPost;
    case HTTP_PUT:
      return Method::kPut;
    case HTTP_PATCH:
      return Method::kPatch;
    case HTTP_DELETE:
      return Method::kDelete;
    case HTTP_OPTIONS:
      return Method::kOptions;
    default:
      return Method::kOther;
  }
}

RequestGuard& GuardOf(http_parser* parser) { return *static_cast<RequestGuard*>(parser->data); }

// Byte classes for SimpleRequestLength: a strict subset of what http_parser
// accepts in each place.
enum : std::uint8_t { kTargetChar = 1, kNameChar = 2, kValueChar = 4 };
constexpr std::array<std::uint8_t, 256> kCharClass = [] {
  std::array<std::uint8_t, 256> table{};
  for (int c = 0x20; c < 0x7F; ++c) table[c] |= kValueChar;
  for (int c = '0'; c <= '9'; ++c) table[c] |= kTargetChar | kNameChar;
  for (int c = 'a'; c <= 'z'; ++c) table[c] |= kTargetChar | kNameChar;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] |= kTargetChar | kNameChar;
  table['-'] |= kNameChar;
  table['_'] |= kNameChar;
  for (char c : std::string_view("-._~!$&'()*+,;=:@/?%")) table[static_cast<unsigned char>(c)] |= kTargetChar;
  return table;
}();

bool EqualsLowerCase(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

bool StartsWithLowerCase(std::string_view text, std::string_view lower) {
  return text.size() >= lower.size() && EqualsLowerCase(text.substr(0, lower.size()), lower);
}

// What ScanPlainHeaders found: `end` is 0 when the headers were not plain.
struct PlainHeaders {
  std::size_t end = 0;  // just after the blank line
  bool has_content_length = false;
  std::size_t content_length = 0;
};

// Scans header lines from `at` through the blank line that ends them. Plain:
// names of letters, digits, '-' and '_' (at most `max_name` bytes), values of
// printable ASCII (fewer than `max_value` bytes, not empty), fewer than
// `max_fields` of them, no Upgrade, Transfer-Encoding or Proxy-Connection
// (nor a name that begins like one of these, Content-Length or Connection),
// Connection only as "keep-alive", at most one Content-Length (digits), the
// whole section under 64 KiB (http_parser's own ceiling is 80 KiB).
PlainHeaders ScanPlainHeaders(std::string_view data, std::size_t at, std::size_t max_name,
                              std::size_t max_value, std::size_t max_fields) {
  constexpr std::size_t kMaxHeaderSection = 64 << 10;
  PlainHeaders headers;
  std::size_t fields = 0;
  while (true) {
    if (at > kMaxHeaderSection || at + 2 > data.size()) return {};
    if (data[at] == '\r') {
      if (data[at + 1] != '\n') return {};
      headers.end = at + 2;
      return headers;
    }
    const std::size_t name = at;
    while (at < data.size() && (kCharClass[static_cast<unsigned char>(data[at])] & kNameChar)) ++at;
    const std::string_view field(data.data() + name, at - name);
    if (field.empty() || field.size() > max_name || at >= data.size() || data[at] != ':') return {};
    ++at;
    while (at < data.size() && data[at] == ' ') ++at;
    const std::size_t value = at;
    while (at < data.size() && (kCharClass[static_cast<unsigned char>(data[at])] & kValueChar)) ++at;
    if (at + 2 > data.size() || data[at] != '\r' || data[at + 1] != '\n') return {};
    const std::string_view text(data.data() + value, at - value);
    at += 2;
    // http_parser reports no empty value, and RESTinio then counts the next
    // field's name as this one's continued: left to the exact parser.
    if (text.empty() || ++fields >= max_fields || text.size() + 1 >= max_value) return {};
    if (EqualsLowerCase(field, "content-length")) {
      if (headers.has_content_length || text.size() > 12) return {};
      for (char c : text) {
        if (c < '0' || c > '9') return {};
        headers.content_length = headers.content_length * 10 + static_cast<std::size_t>(c - '0');
      }
      headers.has_content_length = true;
    } else if (EqualsLowerCase(field, "connection")) {
      if (!EqualsLowerCase(text, "keep-alive")) return {};
    } else if (StartsWithLowerCase(field, "proxy-connection") ||
               StartsWithLowerCase(field, "upgrade") ||
               StartsWithLowerCase(field, "transfer-encoding") ||
               StartsWithLowerCase(field, "content-length") ||
               StartsWithLowerCase(field, "connection")) {
      // Also longer names that begin like these: http_parser marks a
      // request as using Transfer-Encoding as soon as a name's first 17
      // bytes match ("Transfer-EncodingX: t" is then refused as an invalid
      // transfer encoding), so such names are left to the exact parser.
      return {};
    }
  }
}

// The length of the plain request at the start of `data`, complete with its
// body, when it is one that both http_parser and RESTinio take without
// question and within `limits`; 0 otherwise (also when it is merely
// incomplete). Plain: a method below, an origin-form target of unreserved,
// sub-delimiter, ':', '@', '/', '?' and '%' characters, HTTP/1.1, plain
// headers (ScanPlainHeaders). Every check errs towards 0: then the exact
// parser decides.
std::size_t SimpleRequestLength(std::string_view data, const RequestGuardLimits& limits,
                                bool* head) {
  static constexpr std::string_view kMethods[] = {"GET ",    "HEAD ",  "POST ",   "PUT ",
                                                  "DELETE ", "PATCH ", "OPTIONS "};
  std::size_t at = 0;
  for (std::string_view method : kMethods) {
    if (data.substr(0, method.size()) == method) {
      at = method.size();
      *head = method == "HEAD ";
      break;
    }
  }
  if (at == 0 || at >= data.size() || data[at] != '/') return 0;
  const std::size_t target = at;
  while (at < data.size() && (kCharClass[static_cast<unsigned char>(data[at])] & kTargetChar)) ++at;
  if (at - target > limits.max_url_size) return 0;
  constexpr std::string_view kVersion = " HTTP/1.1\r\n";
  if (data.substr(at, kVersion.size()) != kVersion) return 0;
  const PlainHeaders headers =
      ScanPlainHeaders(data, at + kVersion.size(), limits.max_field_name_size,
                       limits.max_field_value_size, limits.max_field_count);
  if (headers.end == 0 || headers.content_length > limits.max_body_size ||
      data.size() - headers.end < headers.content_length) {
    return 0;
  }
  return headers.end + headers.content_length;
}

// The length of the status line and headers of the plain answer at the
// start of `data`, and in `body` its body's length; 0 when not plain: HTTP/1.1,
// a status from 200 to 599 other than 204 and 304, a reason of printable
// ASCII, plain headers (ScanPlainHeaders) with a Content-Length.
std::size_t SimpleAnswerHeadLength(std::string_view data, std::size_t* body) {
  constexpr std::string_view kVersion = "HTTP/1.1 ";
  if (data.size() < kVersion.size() + 4 || data.substr(0, kVersion.size()) != kVersion) return 0;
  const std::string_view status = data.substr(kVersion.size(), 3);
  if (status[0] < '2' || status[0] > '5' || status[1] < '0' || status[1] > '9' ||
      status[2] < '0' || status[2] > '9' || status == "204" || status == "304" ||
      data[kVersion.size() + 3] != ' ') {
    return 0;
  }
  std::size_t at = kVersion.size() + 4;
  while (at < data.size() && (kCharClass[static_cast<unsigned char>(data[at])] & kValueChar)) ++at;
  if (at + 2 > data.size() || data[at] != '\r' || data[at + 1] != '\n') return 0;
  constexpr std::size_t kAny = std::size_t{1} << 20;
  const PlainHeaders headers = ScanPlainHeaders(data, at + 2, kAny, kAny, kAny);
  if (headers.end == 0 || !headers.has_content_length) return 0;
  *body = headers.content_length;
  return headers.end;
}

}  // namespace

RequestGuard::RequestGuard(const RequestGuardLimits& limits, bool quick_scan)
    : limits_(limits),
      quick_scan_(quick_scan),
      between_requests_(quick_scan),
      between_answers_(quick_scan) {
  http_parser_init(&request_parser_, HTTP_REQUEST);
  request_parser_.data = this;
  http_parser_init(&answer_parser_, HTTP_RESPONSE);
  answer_parser_.data = this;
}

void RequestGuard::OnReceived(const char* data, std::size_t size) {
  if (requests_failed_ || size == 0) return;
  // Plain requests, whole in what arrived, are only counted: the exact
  // parser, between messages, is then where it would be after them. It
  // takes the rest.
  while (size > 0 && between_requests_) {
    bool head = false;
    const std::size_t length = SimpleRequestLength({data, size}, limits_, &head);
    if (length == 0) break;
    heads_.push_back(head);
    ++requests_parsed_;
    data += length;
    size -= length;
  }
  if (size == 0) return;
  http_parser_execute(&request_parser_, &RequestSettings(), data, size);
  const auto error = HTTP_PARSER_ERRNO(&request_parser_);
  if (error == HPE_OK) return;
  requests_failed_ = true;
  if (refusal_) return;  // a callback refused: it said why
  if (error == HPE_HEADER_OVERFLOW) {
    // http_parser's own ceiling on the whole header section (80 KiB).
    Refuse(431, limits_.max_header_bytes);
    return;
  }
  Refuse(400, 0);
  refusal_->message = std::string("malformed HTTP request: ") + http_errno_description(error);
}

void RequestGuard::OnSent(const char* data, std::size_t size) {
  if (answers_failed_ || size == 0) return;
  // Plain answers are followed by a quick scan of their heads and a count
  // of their bodies' bytes, like requests in OnReceived.
  while (size > 0 && (answer_body_left_ > 0 || between_answers_)) {
    if (answer_body_left_ == 0) {
      std::size_t body = 0;
      const std::size_t head = SimpleAnswerHeadLength({data, size}, &body);
      if (head == 0) break;
      data += head;
      size -= head;
      // An answer to HEAD has no body whatever its Content-Length says.
      answer_body_left_ = !heads_.empty() && heads_.front() ? 0 : body;
    } else {
      const std::size_t part = std::min(size, answer_body_left_);
      answer_body_left_ -= part;
      data += part;
      size -= part;
    }
    if (answer_body_left_ == 0) {
      if (!heads_.empty()) heads_.pop_front();
      ++answers_sent_;
    }
  }
  if (size == 0) return;
  http_parser_execute(&answer_parser_, &AnswerSettings(), data, size);
  if (HTTP_PARSER_ERRNO(&answer_parser_) != HPE_OK) answers_failed_ = true;
}

std::optional<Refusal> RequestGuard::TakeRefusal() {
  if (!refusal_ || answers_failed_ || answers_sent_ != requests_parsed_) return std::nullopt;
  std::optional<Refusal> taken = std::move(refusal_);
  refusal_.reset();
  return taken;
}

int RequestGuard::Refuse(int status, std::size_t limit) {
  Refusal refusal;
  refusal.status = status;
  refusal.limit = limit;
  refusal.message = (status == 413 ? "request body larger than the limit of "
                                   : "request line and headers larger than the limit of ") +
                    std::to_string(limit) + " bytes";
  // Before a request has begun (bad first byte) there is none to name.
  if (in_request_) {
    refusal.method = MethodOf(&request_parser_);
    refusal.path = path_;
  }
  refusal_ = std::move(refusal);
  return -1;
}

int RequestGuard::OnMessageBegin(http_parser* parser) {
  RequestGuard& g = GuardOf(parser);
  g.between_requests_ = false;
  g.in_request_ = true;
  g.path_.clear();
  g.in_query_ = false;
  g.url_size_ = 0;
  g.field_name_size_ = 0;
  g.field_value_size_ = 0;
  g.field_count_ = 0;
  g.body_size_ = 0;
  g.last_was_value_ = true;
  return 0;
}

// The checks below are RESTinio's (impl/parser_callbacks.ipp), comparison for
// comparison, so that the guard refuses exactly the requests RESTinio drops.
int RequestGuard::OnUrl(http_parser* parser, const char* at, std::size_t length) {
  RequestGuard& g = GuardOf(parser);
  g.url_size_ += length;
  for (std::size_t i = 0; i < length && !g.in_query_ && g.path_.size() < kMaxPathBytes; ++i) {
    if (at[i] == '?' || at[i] == '#') {
      g.in_query_ = true;
    } else {
      g.path_.push_back(at[i]);
    }
  }
  if (g.url_size_ > g.limits_.max_url_size) return g.Refuse(431, g.limits_.max_header_bytes);
  return 0;
}

int RequestGuard::OnHeaderField(http_parser* parser, const char* /*at*/, std::size_t length) {
  RequestGuard& g = GuardOf(parser);
  if (g.last_was_value_) {
    if (g.field_count_ == g.limits_.max_field_count) {
      return g.Refuse(431, g.limits_.max_header_bytes);
    }
    g.field_name_size_ = length;
    g.last_was_value_ = false;
  } else {
    g.field_name_size_ += length;
  }
  if (g.field_name_size_ > g.limits_.max_field_name_size) {
    return g.Refuse(431, g.limits_.max_header_bytes);
  }
  return 0;
}

int RequestGuard::OnHeaderValue(http_parser* parser, const char* /*at*/, std::size_t length) {
  RequestGuard& g = GuardOf(parser);
  if (!g.last_was_value_) {
    g.field_value_size_ = length;
    g.last_was_value_ = true;
    ++g.field_count_;
  } else {
    g.field_value_size_ += length;
  }
  if (g.field_value_size_ >= g.limits_.max_field_value_size) {
    return g.Refuse(431, g.limits_.max_header_bytes);
  }
  return 0;
}

int RequestGuard::OnHeadersComplete(http_parser* parser) {
  RequestGuard& g = GuardOf(parser);
  if (parser->content_length != ULLONG_MAX && parser->content_length > 0 &&
      parser->content_length > g.limits_.max_body_size) {
    return g.Refuse(413, g.limits_.max_body_size);
  }
  return 0;
}

int RequestGuard::OnBody(http_parser* parser, const char* /*at*/, std::size_t length) {
  RequestGuard& g = GuardOf(parser);
  g.body_size_ += length;
  if (g.body_size_ > g.limits_.max_body_size) return g.Refuse(413, g.limits_.max_body_size);
  return 0;
}

int RequestGuard::OnMessageComplete(http_parser* parser) {
  RequestGuard& g = GuardOf(parser);
  g.heads_.push_back(parser->method == HTTP_HEAD);
  ++g.requests_parsed_;
  g.in_request_ = false;
  // After a request that ends the connection (or upgrades it) the parser
  // takes no new one: only it may judge what follows.
  g.between_requests_ = g.quick_scan_ && http_should_keep_alive(parser) != 0 && parser->upgrade == 0;
  return 0;
}

int RequestGuard::OnAnswerBegin(http_parser* parser) {
  GuardOf(parser).between_answers_ = false;
  return 0;
}

int RequestGuard::OnAnswerHeadersComplete(http_parser* parser) {
  RequestGuard& g = GuardOf(parser);
  // 1: the answer has no body whatever its Content-Length says.
  return !g.heads_.empty() && g.heads_.front() ? 1 : 0;
}

int RequestGuard::OnAnswerComplete(http_parser* parser) {
  RequestGuard& g = GuardOf(parser);
  if (!g.heads_.empty()) g.heads_.pop_front();
  ++g.answers_sent_;
  g.between_answers_ = g.quick_scan_ && http_should_keep_alive(parser) != 0 && parser->upgrade == 0;
  return 0;
}

const http_parser_settings& RequestGuard::RequestSettings() {
  static const http_parser_settings settings = [] {
    http_parser_settings s;
    http_parser_settings_init(&s);
    s.on_message_begin = OnMessageBegin;
    s.on_url = OnUrl;
    s.on_header_field = OnHeaderField;
    s.on_header_value = OnHeaderValue;
    s.on_headers_complete = OnHeadersComplete;
    s.on_body = OnBody;
    s.on_message_complete = OnMessageComplete;
    return s;
  }();
  return settings;
}

const http_parser_settings& RequestGuard::AnswerSettings() {
  static const http_parser_settings settings = [] {
    http_parser_settings s;
    http_parser_settings_init(&s);
    s.on_message_begin = OnAnswerBegin;
    s.on_headers_complete = OnAnswerHeadersComplete;
    s.on_message_complete = OnAnswerComplete;
    return s;
  }();
  return settings;
}

}  // namespace spinlog::http
