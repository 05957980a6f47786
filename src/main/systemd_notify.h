// sd_notify(3) for `Type=notify` units, implemented here (one datagram)
// rather than linking libsystemd: tells systemd when spinlog serves, so that
// `systemctl start|restart` returns once the new server accepts, and when
// it stops.
#pragma once

#include <string>

namespace spinlog {

// Sends `state` ("READY=1\nSTATUS=...", "STOPPING=1") to the socket named by
// NOTIFY_SOCKET (a path, or "@name" for an abstract socket). Does nothing
// when it is unset; failures are ignored (systemd then times the unit out,
// which says more than a log line would).
void NotifySystemd(const std::string& state);

}  // namespace spinlog
