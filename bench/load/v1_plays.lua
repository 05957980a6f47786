-- wrk script: POST /api/v1/plays, every request a batch of NEW plays (1,000 by
-- default) as a JSON array, so that every answered play is a create (run with
-- -t1 -c4: four clients, each with one batch in flight).
--
-- Play k of thread id (1-based) of T threads takes slot n = k*T + id-1; the
-- play is on channel "Ingest" .. (n % channels + 1), starting at
--   2040-01-01T00:00:00 + run * 730 days + floor(n / channels) * 60 s
-- and lasting 50 s, with a random W1 song. (channel, start) is thus unique per
-- thread and play, across requests and connections, and plays on a channel
-- never overlap. A run has room for channels * 1,051,200 plays (105 million
-- with 100 channels: 120 s at 875,000 plays/s; run_ingest.sh allows at most
-- 120 s per run). Use a different run=N for every run against the same data
-- (run_ingest.sh does), or the plays are re-posts (duplicates), not creates.
-- The Ingest channels are not W1's, so W1's charts and play lists stay as
-- they were.
--
-- Arguments (after "--"): run=N (default 0), seed=N, batch=N (plays per
-- request, default 1000, at most 10000), channels=N (default 100),
-- format=array|ndjson (default array), answers=full|minimal (default full;
-- minimal sends Prefer: return=minimal: no play echoed back), fast=1 (no response(): see
-- common.lua; then nothing checks that the plays were created).
--
-- The RESULT line (common.lua) gets: batch=N plays=N (requests * batch)
-- plays_per_s=R created=N not_created=N created_exact=0|1, where created and
-- not_created come from each answer's "counts" (exact unless fast=1). p50_us
-- and p99_us are per batch: from the first byte of the request written to
-- the last byte of the answer read.
-- Usage: wrk -t1 -c4 -d10s -s bench/load/v1_plays.lua URL -- run=0 seed=1
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local w1 = dofile(dir .. "common.lua")

setup = w1.setup

local base, k, batch, nchannels = 0, 0, 1000, 100
local ndjson = false
local headers = {}
local songs = {}        -- '","performer":"P","title":"T","start":"'
local channel_open = {} -- '{"channel":"IngestC'
local minute_cache = {} -- minute index -> { start, end } strings
local pieces = {}
local item_close, last_close = '"},', '"}]' -- per format, set in init

function init(args)
  local a = w1.init(args)
  local run = tonumber(a.run or "0")
  batch = tonumber(a.batch or "1000")
  batch_size = batch  -- a global, for done()
  nchannels = tonumber(a.channels or "100")
  ndjson = a.format == "ndjson"
  if ndjson then item_close, last_close = '"}\n', '"}\n' end
  headers["Content-Type"] = ndjson and "application/x-ndjson" or "application/json"
  if a.answers == "minimal" then headers["Prefer"] = "return=minimal" end
  base = 2208988800 + run * 730 * w1.day  -- 2040-01-01T00:00:00Z
  for i, s in ipairs(w1.songs) do
    -- W1 names hold no quote, backslash or control character: no escaping.
    songs[i] = '","performer":"' .. s.performer .. '","title":"' .. s.title .. '","start":"'
  end
  for c = 1, nchannels do channel_open[c] = '{"channel":"Ingest' .. c end
  created, not_created, counted = 0, 0, 0
end

-- The start and end strings of minute m of this run (cached for the minutes
-- of the current batch only).
local function times(m)
  local t = minute_cache[m]
  if not t then
    local start = base + m * 60
    t = { w1.time(start), w1.time(start + 50) }
    minute_cache[m] = t
  end
  return t
end

-- The body is one table.concat over pieces that already exist (channel and
-- song openings, cached times, constant glue). Building a string per play
-- first (LuaJIT interns every string) cost wrk about 0.95 us of CPU per play
-- with minimal answers, 0.62 us this way: CPU the server on the same two
-- cores gets back (docs/benchmarks.md).
local SEP_END = '","end":"'

function request()
  minute_cache = {}
  local first = k
  pieces[1] = ndjson and "" or "["
  local p = 1
  for i = 1, batch do
    local n = (first + i - 1) * nthreads + id - 1
    local t = times(math.floor(n / nchannels))
    pieces[p + 1] = channel_open[n % nchannels + 1]
    pieces[p + 2] = songs[math.random(#songs)]
    pieces[p + 3] = t[1]
    pieces[p + 4] = SEP_END
    pieces[p + 5] = t[2]
    pieces[p + 6] = i < batch and item_close or last_close
    p = p + 6
  end
  k = k + batch
  return wrk.format("POST", "/api/v1/plays", headers, table.concat(pieces, "", 1, p))
end

function response(status, hdrs, body)
  w1.response(status, hdrs, body)
  -- The answer ends with "counts":{"created":N,"duplicate":N,"conflict":N,"invalid":N}}
  local c, d, x, v = body:match(
    '"counts":{"created":(%d+),"duplicate":(%d+),"conflict":(%d+),"invalid":(%d+)}', -120)
  if c then
    created = created + tonumber(c)
    not_created = not_created + tonumber(d) + tonumber(x) + tonumber(v)
    counted = counted + 1
  end
end

done = w1.done("v1_plays", function(threads, summary)
  local c, nc, counted_all, exact = 0, 0, 0, 1
  local batch = threads[1] and threads[1]:get("batch_size") or 0
  for _, t in ipairs(threads) do
    if t:get("fast_mode") then exact = 0 end
    c = c + (t:get("created") or 0)
    nc = nc + (t:get("not_created") or 0)
    counted_all = counted_all + (t:get("counted") or 0)
  end
  -- Every answer must carry counts; one that does not counts as not created.
  if exact == 1 and counted_all < summary.requests then
    nc = nc + (summary.requests - counted_all) * batch
  end
  local plays = summary.requests * batch
  return string.format(" batch=%d plays=%d plays_per_s=%.0f created=%d not_created=%d created_exact=%d",
    batch, plays, plays / (summary.duration / 1e6), c, nc, exact)
end)
