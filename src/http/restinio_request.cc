#include "http/restinio_request.h"

#include <utility>

namespace spinlog::http {

Method ToMethod(restinio::http_method_id_t method) {
  switch (method.raw_id()) {
    case restinio::http_method_get().raw_id():
      return Method::kGet;
    case restinio::http_method_head().raw_id():
      return Method::kHead;
    case restinio::http_method_post().raw_id():
      return Method::kPost;
    case restinio::http_method_put().raw_id():
      return Method::kPut;
    case restinio::http_method_patch().raw_id():
      return Method::kPatch;
    case restinio::http_method_delete().raw_id():
      return Method::kDelete;
    case restinio::http_method_options().raw_id():
      return Method::kOptions;
    default:
      return Method::kOther;
  }
}

Request RequestFromHeader(const restinio::http_request_header_t& header, std::string body,
                          std::size_t* header_bytes) {
  Request request;
  std::size_t bytes = header.request_target().size();
  request.headers.reserve(header.fields_count());
  for (const auto& field : header) {
    bytes += field.name().size() + field.value().size() + 4;  // ": " and CRLF
    request.headers.emplace_back(field.name(), field.value());
  }
  request.method = ToMethod(header.method());
  request.path = std::string(header.path());
  request.query = std::string(header.query());
  request.body = std::move(body);
  *header_bytes = bytes;
  return request;
}

}  // namespace spinlog::http
