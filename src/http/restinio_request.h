// Our Request from what RESTinio parsed: the one place that copies a
// RESTinio request header into http::Request, shared by the server and the
// HTTP request fuzz target (tests/fuzz/http_request_fuzz.cc).
//
// Internal to src/http (includes RESTinio).
#pragma once

#include <cstddef>
#include <restinio/http_headers.hpp>
#include <string>

#include "http/request.h"

namespace spinlog::http {

Method ToMethod(restinio::http_method_id_t method);

// Method, path, query, headers and `body`; no request id. Sets
// *header_bytes to the size counted against ServerOptions::max_header_bytes:
// the request target plus each header's name, value and 4 bytes (": ",
// CRLF).
Request RequestFromHeader(const restinio::http_request_header_t& header, std::string body,
                          std::size_t* header_bytes);

}  // namespace spinlog::http
