#include "http/request_guard.h"

#include <climits>

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

}  // namespace

RequestGuard::RequestGuard(const RequestGuardLimits& limits) : limits_(limits) {
  http_parser_init(&request_parser_, HTTP_REQUEST);
  request_parser_.data = this;
  http_parser_init(&answer_parser_, HTTP_RESPONSE);
  answer_parser_.data = this;
}

void RequestGuard::OnReceived(const char* data, std::size_t size) {
  if (requests_failed_ || size == 0) return;
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
  refusal.method = MethodOf(&request_parser_);
  refusal.path = path_;
  refusal_ = std::move(refusal);
  return -1;
}

int RequestGuard::OnMessageBegin(http_parser* parser) {
  RequestGuard& g = GuardOf(parser);
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
    s.on_headers_complete = OnAnswerHeadersComplete;
    s.on_message_complete = OnAnswerComplete;
    return s;
  }();
  return settings;
}

}  // namespace spinlog::http
