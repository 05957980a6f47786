-- Shared by the wrk scripts in bench/load (docs/benchmarks.md): the W1
-- catalogue, percent-encoding, per-thread seeding, non-200 counting, and a
-- done() that prints one parseable line:
--   RESULT script=NAME requests=N duration_s=S rps=R p50_us=A p90_us=B p99_us=C
--          max_us=D non200=N mean_body_bytes=M errors_connect=.. errors_read=..
--          errors_write=.. errors_timeout=.. non200_exact=1
-- Script arguments (after wrk's "--"): seed=N (default 1), run=N (add_play),
-- fast=1: no Lua response() so wrk skips handing each body to Lua (that copy
-- costs the client up to a third of its rate on large answers); non200 then
-- counts only statuses >= 400 (wrk's own count), mean_body_bytes is 0, and the
-- line says non200_exact=0.
--
-- The W1 names below must match bench/w1_generator.cc; run_classic.sh checks it.
local M = {}

M.channels = {}
for c = 1, 10 do M.channels[c] = "Channel" .. c end

local special_performers = { [3] = "Pêrformer3", [7] = "Perfórmer7", [9] = "Исполнитель9" }
local special_titles = { [3] = "Söng3", [13] = "Sóng13", [17] = "Song 17 & More", [23] = "Song23 ♪" }
M.songs = {}
for s = 1, 30 do
  local p = (s - 1) % 10 + 1
  M.songs[s] = {
    performer = special_performers[p] or ("Performer" .. p),
    title = special_titles[s] or ("Song" .. s),
  }
end

M.first_day = 1420070400  -- 2015-01-01T00:00:00Z
M.days = 731              -- 2015 and 2016
M.day = 86400

-- application/x-www-form-urlencoded / query component: all but A-Z a-z 0-9 - . _ ~
function M.encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

function M.time(t)
  return os.date("!%Y-%m-%dT%H:%M:%S", t)
end

-- A random midnight such that a 7-day window stays within 2015-2016.
function M.random_week_start()
  return M.first_day + math.random(0, M.days - 7) * M.day
end

local threads = {}

function M.setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
  -- setup() runs for every thread before any starts, so the last call wins.
  for _, t in ipairs(threads) do t:set("nthreads", #threads) end
end

-- Parses "key=value" script arguments into a table of strings.
function M.args(args)
  local out = {}
  for _, a in ipairs(args or {}) do
    local k, v = a:match("^([%w_]+)=(.*)$")
    if k then out[k] = v end
  end
  return out
end

-- Call from init(args): seeds this thread's generator and resets counters.
function M.init(args)
  local a = M.args(args)
  math.randomseed(tonumber(a.seed or "1") * 1000 + id)
  non200 = 0
  body_bytes = 0
  responses = 0
  first_bad = ""
  fast_mode = a.fast == "1"
  if fast_mode then response = nil end
  return a
end

function M.response(status, headers, body)
  responses = responses + 1
  body_bytes = body_bytes + #body
  if status ~= 200 then
    non200 = non200 + 1
    if first_bad == "" then first_bad = status .. " " .. body:sub(1, 300) end
  end
end

-- done() for wrk; extra(threads, summary), when given, returns more
-- " key=value" words for the RESULT line.
function M.done(name, extra)
  return function(summary, latency, requests)
    local bad, bytes, n, exact = 0, 0, 0, 1
    for _, t in ipairs(threads) do
      if t:get("fast_mode") then exact = 0 end
      bad = bad + (t:get("non200") or 0)
      bytes = bytes + (t:get("body_bytes") or 0)
      n = n + (t:get("responses") or 0)
      local fb = t:get("first_bad")
      if fb and fb ~= "" then io.stderr:write("first non-200 answer: " .. fb .. "\n") end
    end
    local s = summary.duration / 1e6
    local e = summary.errors
    if exact == 0 then bad = e.status end
    io.write(string.format(
      "RESULT script=%s requests=%d duration_s=%.3f rps=%.1f p50_us=%d p90_us=%d p99_us=%d " ..
      "max_us=%d non200=%d mean_body_bytes=%d errors_connect=%d errors_read=%d " ..
      "errors_write=%d errors_timeout=%d non200_exact=%d",
      name, summary.requests, s, summary.requests / s,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      bad, n > 0 and math.floor(bytes / n + 0.5) or 0,
      e.connect, e.read, e.write, e.timeout, exact) ..
      (extra and extra(threads, summary) or "") .. "\n")
  end
end

return M
