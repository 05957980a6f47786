#!/usr/bin/env python3
"""Measures the pause of a zero-downtime restart (docs/operations.md).

Holds a listening socket on 127.0.0.1 as systemd does, starts `spinlog serve`
on it (LISTEN_FDS), then replaces the server N times each way:
  restart   SIGTERM the old one, wait for it to exit, start the new one
            (what `systemctl restart` does with socket activation)
  overlap   start the new one first (it waits for the store), then SIGTERM
  sigusr2   SIGUSR2: the old server starts its successor itself
and prints, per replacement, the pause each new server logs ("accepting again
X ms after pid P stopped accepting") and how long it took to open the store
and load charts. Usage:
  bench/restart_pause.py --binary build/src/main/spinlog --data DIR [--rounds 3]
"""
import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

PAUSE = re.compile(r"accepting again ([0-9.]+) ms after pid \d+ stopped accepting; since start: "
                   r"waited for and opened the store in ([0-9.]+) ms, loaded charts in ([0-9.]+) ms")


class Servers:
    def __init__(self, binary, data, listener, pid_file):
        self.binary, self.data, self.listener, self.pid_file = binary, data, listener, pid_file
        self.log = []
        self.children = {}  # pid -> Popen, for the servers this script started
        self.lock = threading.Lock()
        self.read_fd, self.write_fd = os.pipe()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        with os.fdopen(self.read_fd, "r", errors="replace") as f:
            for line in f:
                with self.lock:
                    self.log.append(line)

    def count(self, needle):
        with self.lock:
            return sum(needle in line for line in self.log)

    def wait_for(self, needle, count, timeout=120):
        deadline = time.monotonic() + timeout
        while self.count(needle) < count:
            if time.monotonic() > deadline:
                sys.exit("timed out waiting for %r:\n%s" % (needle, "".join(self.log[-20:])))
            time.sleep(0.005)

    def start(self):
        listener = self.listener.fileno()

        def child():
            os.dup2(listener, 3)
        args = ["sh", "-c", 'LISTEN_PID=$$ exec "$0" "$@"', self.binary, "serve", "--data",
                self.data, "--pid-file", self.pid_file]
        env = dict(os.environ, LISTEN_FDS="1", LISTEN_FDNAMES="http")
        process = subprocess.Popen(args, env=env, pass_fds=(listener,), preexec_fn=child,
                                   stdout=self.write_fd, stderr=self.write_fd)
        self.children[process.pid] = process
        return process

    def pid(self):
        with open(self.pid_file) as f:
            return int(f.read())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="build/src/main/spinlog")
    parser.add_argument("--data", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4096)
    pid_file = os.path.join(tempfile.mkdtemp(), "spinlog.pid")
    servers = Servers(os.path.abspath(args.binary), args.data, listener, pid_file)
    started = 1
    servers.start()
    servers.wait_for("serving on", started)
    results = {}
    for mode in ("restart", "overlap", "sigusr2"):
        for _ in range(args.rounds):
            old = servers.pid()
            if mode == "restart":
                os.kill(old, signal.SIGTERM)
                if old in servers.children:
                    servers.children[old].wait(60)
                else:  # a SIGUSR2 successor: not our child
                    while os.path.exists("/proc/%d" % old):
                        time.sleep(0.001)
                servers.start()
            elif mode == "overlap":
                servers.start()
                time.sleep(0.3)
                os.kill(old, signal.SIGTERM)
            else:
                os.kill(old, signal.SIGUSR2)
            started += 1
            servers.wait_for("accepting again", started - 1)
            servers.wait_for("serving on", started)
            time.sleep(0.2)
            with servers.lock:
                line = [l for l in servers.log if "accepting again" in l][-1]
            pause, store, charts = (float(x) for x in PAUSE.search(line).groups())
            results.setdefault(mode, []).append((pause, store, charts))
            print("%-8s pause %7.1f ms  (new server: store %7.1f ms, charts %7.1f ms)" %
                  (mode, pause, store, charts), flush=True)
    for mode, rows in results.items():
        print("%-8s median pause %.1f ms" % (mode, statistics.median(r[0] for r in rows)))
    os.kill(servers.pid(), signal.SIGTERM)
    time.sleep(1)


if __name__ == "__main__":
    main()
