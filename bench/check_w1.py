#!/usr/bin/env python3
"""Checks a W1 NDJSON file from w1_generator (docs/benchmarks.md).

Usage: bench/check_w1.py FILE [--plays 1000000] [--channels 10] [--songs 30]

Checks: every line is an object with exactly the five string fields; times are
YYYY-MM-DDThh:mm:ss within [2015-01-01T00:00:00, 2017-01-01T00:00:00); the file
is ordered by (start, channel number); each channel has plays/channels plays
(+1 for the first plays % channels channels), back to back (each start is the
previous end), never overlapping, the first at 2015-01-01T00:00:00, each 1 s to
24 h long; each song has one performer; song popularity falls roughly as 1/rank.
Prints a summary; exits 1 on the first failed check.
"""
import argparse
import collections
import datetime
import json
import re
import sys

TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
FIRST = datetime.datetime(2015, 1, 1)
LIMIT = datetime.datetime(2017, 1, 1)


def fail(msg):
    print("check_w1: FAIL: " + msg)
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--plays", type=int, default=1_000_000)
    ap.add_argument("--channels", type=int, default=10)
    ap.add_argument("--songs", type=int, default=30)
    a = ap.parse_args()

    last_end = {}
    per_channel = collections.Counter()
    per_song = collections.Counter()
    performer_of = {}
    prev_key = None
    durations = []
    n = 0
    parse = datetime.datetime.fromisoformat
    with open(a.file, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            rec = json.loads(line)
            if sorted(rec) != ["channel", "end", "performer", "start", "title"]:
                fail(f"line {n}: fields {sorted(rec)}")
            if not all(isinstance(v, str) for v in rec.values()):
                fail(f"line {n}: non-string value")
            if not TIME.match(rec["start"]) or not TIME.match(rec["end"]):
                fail(f"line {n}: time format {rec['start']} {rec['end']}")
            start, end = parse(rec["start"]), parse(rec["end"])
            ch = rec["channel"]
            m = re.fullmatch(r"Channel(\d+)", ch)
            if not m:
                fail(f"line {n}: channel name {ch}")
            key = (start, int(m.group(1)))
            if prev_key is not None and key <= prev_key:
                fail(f"line {n}: not ordered by (start, channel)")
            prev_key = key
            if start < FIRST or end >= LIMIT:
                fail(f"line {n}: outside 2015-01-01..2016-12-31: {start} {end}")
            d = (end - start).total_seconds()
            if not 1 <= d <= 86400:
                fail(f"line {n}: duration {d} s")
            durations.append(d)
            if ch not in last_end:
                if start != FIRST:
                    fail(f"line {n}: {ch} starts at {start}, not {FIRST}")
            elif start != last_end[ch]:
                kind = "overlaps" if start < last_end[ch] else "leaves a gap after"
                fail(f"line {n}: {ch} play {kind} the previous one ({last_end[ch]} -> {start})")
            last_end[ch] = end
            per_channel[ch] += 1
            song = (rec["performer"], rec["title"])
            per_song[song] += 1
            if performer_of.setdefault(rec["title"], rec["performer"]) != rec["performer"]:
                fail(f"line {n}: title {rec['title']} by two performers")

    if n != a.plays:
        fail(f"{n} plays, expected {a.plays}")
    if len(per_channel) != a.channels:
        fail(f"{len(per_channel)} channels, expected {a.channels}")
    for i in range(1, a.channels + 1):
        want = a.plays // a.channels + (1 if i - 1 < a.plays % a.channels else 0)
        got = per_channel[f"Channel{i}"]
        if got != want:
            fail(f"Channel{i} has {got} plays, expected {want}")
    if len(per_song) != a.songs:
        fail(f"{len(per_song)} songs played, expected {a.songs}")
    ranked = per_song.most_common()
    top = ranked[0][1]
    # Zipf s=1: the k-th song gets about top/k plays. Loose bounds (sampling noise).
    for k, (song, count) in enumerate(ranked, 1):
        expect = top / k
        if n >= 100_000 and not 0.8 * expect <= count <= 1.25 * expect:
            fail(f"rank {k} {song}: {count} plays, Zipf expects ~{expect:.0f}")
    ends = sorted(last_end.values())
    mean = sum(durations) / len(durations)
    print(f"check_w1: OK: {n} plays, {len(per_channel)} channels, {len(per_song)} songs, "
          f"{len(performer_of and set(performer_of.values()))} performers; durations "
          f"{min(durations):.0f}..{max(durations):.0f} s, mean {mean:.1f} s; "
          f"last ends {ends[0]}..{ends[-1]}")
    print("check_w1: top songs: " + ", ".join(f"{p}/{t}={c}" for (p, t), c in ranked[:5])
          + f" ... last {ranked[-1][0][0]}/{ranked[-1][0][1]}={ranked[-1][1]}")


if __name__ == "__main__":
    main()
