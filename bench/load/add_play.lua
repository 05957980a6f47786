-- wrk script: POST /add_play (form-encoded), every request a NEW play, so each
-- 200 answer is a durable create (run with -c50).
--
-- Request k of thread id (1-based) of T threads takes slot n = k*T + id-1;
-- the play is on Channel(n % 10 + 1), starting at
--   2030-01-01T00:00:00 + run * 730 days + floor(n / 10) * 60 s
-- and lasting 50 s, with a random W1 song. (channel, start) is thus unique per
-- thread and request, plays on a channel never overlap, and one run has room
-- for 10.5 million requests. Use a different run=N for every run against the
-- same data (run_classic.sh does), or the plays are re-posts, not creates.
-- Usage: wrk -t1 -c50 -d10s -s bench/load/add_play.lua URL -- run=0 seed=1
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local w1 = dofile(dir .. "common.lua")

setup = w1.setup
response = w1.response
done = w1.done("add_play")

local base, k = 0, 0
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local songs = {}

function init(args)
  local a = w1.init(args)
  local run = tonumber(a.run or "0")
  base = 1893456000 + run * 730 * w1.day  -- 2030-01-01T00:00:00Z
  for i, s in ipairs(w1.songs) do
    songs[i] = "title=" .. w1.encode(s.title) .. "&performer=" .. w1.encode(s.performer)
  end
end

function request()
  local n = k * nthreads + id - 1
  k = k + 1
  local start = base + math.floor(n / 10) * 60
  local body = songs[math.random(#songs)] .. "&channel=Channel" .. (n % 10 + 1) ..
    "&start=" .. w1.encode(w1.time(start)) .. "&end=" .. w1.encode(w1.time(start + 50))
  return wrk.format("POST", "/add_play", headers, body)
end
