// Zero-downtime handover without systemd: a running server starts its
// successor (the binary at the path it was started with, so an upgraded
// binary takes over) with the listening socket inherited, then stops
// accepting, drains and closes the store; the successor waits for the store
// and serves on the same socket. Connections that arrive meanwhile wait in
// the socket's backlog: none is refused or reset. docs/operations.md,
// "Restarting without downtime".
//
// The successor finds the socket by the socket-activation protocol
// (main/socket_activation.h) and tells its predecessor over a pipe once it
// has parsed its options and taken the socket, so that a successor that
// cannot start (a bad binary, a bad option) leaves the old server serving.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace spinlog {

// Starts `command` (argv; argv[0] is looked up on PATH when it has no '/')
// with `listen_fd` as its descriptor 3, LISTEN_PID/LISTEN_FDS/LISTEN_FDNAMES
// naming it, and no other descriptor of ours except 0-2. Waits until the
// successor says it is ready to take over (TellPredecessorReady), at most
// `ready_timeout`. Returns its pid. Returns Unavailable with the reason when
// it cannot be started, exits first (its status), or times out (it is then
// sent SIGTERM); the caller then simply keeps serving.
// REQUIRES: `listen_fd` is a listening socket.
Result<pid_t> StartSuccessor(int listen_fd, const std::vector<std::string>& command,
                             std::chrono::milliseconds ready_timeout);

// In a successor: tells the predecessor that started it that it is ready
// and will wait for the data directory, and returns the predecessor's pid.
// Returns nullopt, doing nothing, when this process was not started by
// StartSuccessor. Unsets the variables it reads.
std::optional<pid_t> TellPredecessorReady();

// How long the listening socket went unserved across a restart.
struct StopRecord {
  pid_t pid = 0;                     // the server that stopped accepting
  std::chrono::microseconds ago{0};  // since it stopped accepting
};

// Notes, in `data_dir`/spinlog.handover, that this process stops accepting
// now on a socket that stays open for a successor (socket activation or a
// handover). Best effort: a failure only loses the measurement.
void RecordStopAccepting(const std::string& data_dir);

// Reads and removes the note RecordStopAccepting left in `data_dir`.
// nullopt when there is none, or when it was written before the machine
// last booted. Call it holding the data directory (the store open).
std::optional<StopRecord> TakeStopRecord(const std::string& data_dir);

}  // namespace spinlog
