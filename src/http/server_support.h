// Small pieces of the server that need neither RESTinio nor asio: request
// ids, event-loop threads and the connection limit fitted to the process,
// wording of listen errors.
//
// Thread-safety: all functions may be called from any thread.
#pragma once

#include <cstddef>
#include <string>

#include "http/request.h"

namespace spinlog::http {

// A process-unique id "r-" + 10 lowercase hex digits, e.g. "r-000000001f".
std::string NextRequestId();

// Event-loop threads for `cores` usable cores: one per core but one, at
// least one. The core left over is for the work behind the loops: group
// commit, its answers, and RocksDB's flushes and compactions. On 2 cores one
// loop beat two in bulk ingest (ahead in 10 of 14 alternating runs, median
// +4 %) and cut get_top's p99 from 3.5 ms to 0.7-2 ms at the same rate
// (docs/benchmarks.md, "One event loop fewer than cores").
std::size_t EventLoopThreadsFor(std::size_t cores);

// The cores this process may run on (its CPU affinity mask, so that
// `taskset -c 0` counts one), or std::thread::hardware_concurrency() when
// the mask cannot be read; at least 1.
std::size_t UsableCores();

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
