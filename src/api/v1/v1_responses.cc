#include "api/v1/v1_responses.h"

#include <string>

#include "api/error_mapping.h"
#include "json/json_writer.h"

namespace spinlog::api::v1 {
namespace {

// Stable, machine-readable error codes, one per HTTP status we answer.
std::string_view CodeFor(int http_status) {
  switch (http_status) {
    case 400: return "invalid_argument";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 413: return "payload_too_large";
    case 501: return "not_implemented";
    case 503: return "unavailable";
    default: return "internal";
  }
}

http::Response Write(int http_status, std::string_view code, std::string_view message,
                     const std::vector<FieldViolation>& fields) {
  json::JsonWriter w;
  w.StartObject();
  w.Key("error");
  w.StartObject();
  w.Key("status");
  w.Int(http_status);
  w.Key("code");
  w.String(code);
  w.Key("message");
  w.String(message);
  w.Key("fields");
  WriteFieldViolations(w, fields);
  w.EndObject();
  w.EndObject();
  http::Response response;
  response.status = http_status;
  response.body = w.Take();
  return response;
}

}  // namespace

http::Response ErrorResponse(const Status& status) {
  HttpError error = MapStatus(status);
  std::string message;
  for (const std::string& m : error.messages) message += (message.empty() ? "" : "; ") + m;
  http::Response response =
      Write(error.status, CodeFor(error.status), message,
            error.status == 500 ? std::vector<FieldViolation>{} : status.violations());
  if (error.retry_after_seconds > 0) {
    response.headers.emplace_back("Retry-After", std::to_string(error.retry_after_seconds));
  }
  return response;
}

http::Response ErrorResponse(int http_status, std::string_view code, std::string_view message) {
  return Write(http_status, code, message, {});
}

void WriteFieldViolations(json::JsonWriter& w, std::span<const FieldViolation> violations) {
  w.StartArray();
  for (const FieldViolation& v : violations) {
    w.StartObject();
    w.Key("field");
    w.String(v.field);
    w.Key("problem");
    w.String(v.problem);
    w.EndObject();
  }
  w.EndArray();
}

http::RouteAttributes GetRouteAttributes() {
  http::RouteAttributes attributes;
  attributes.etag = true;
  return attributes;
}

http::RouteAttributes MemoryGetRouteAttributes() {
  http::RouteAttributes attributes = GetRouteAttributes();
  attributes.answers_from_memory = true;
  return attributes;
}

}  // namespace spinlog::api::v1
