// Small pieces of the server that need neither RESTinio nor asio: request
// ids, fitting the connection limit to the process, wording of listen errors.
//
// Thread-safety: all functions may be called from any thread.
#pragma once

#include <cstddef>
#include <string>

#include "http/request.h"

namespace spinlog::http {

// A process-unique id "r-" + 10 lowercase hex digits, e.g. "r-000000001f".
std::string NextRequestId();

// `wanted` lowered (with a warning logged) so that the connections fit the
// open-file limit with room for the rest of the process; `wanted` when the
// limit is unknown or large enough. Never less than 1.
std::size_t FitConnectionLimit(std::size_t wanted);

// A short lowercase reason for a bind/listen errno ("address already in
// use"), or null when there is no special wording.
const char* DescribeListenErrno(int value);

// `response` as raw HTTP/1.1 bytes with Content-Length and
// "Connection: close", for an answer written outside RESTinio.
std::string SerializeClosingAnswer(const Response& response);

}  // namespace spinlog::http
