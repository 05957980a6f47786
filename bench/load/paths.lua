-- wrk script: GET the paths listed in a file, one per line, in a cycle
-- (each thread starts at its own place). For queries that a shell script
-- prepares, e.g. run_charts.sh's W2 charts and series.
-- Arguments (after "--"): file=PATH (required), seed=N, fast=1 (see
-- common.lua). The RESULT line says script=paths: the caller knows which
-- file it gave.
-- Usage: wrk -t1 -c10 -d10s -s bench/load/paths.lua URL -- file=/tmp/q.txt
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

setup = common.setup
response = common.response

local requests, next_request = {}, 0

function init(args)
  local a = common.init(args)
  assert(a.file, "paths.lua needs file=PATH")
  for line in io.lines(a.file) do
    if line ~= "" then requests[#requests + 1] = wrk.format("GET", line) end
  end
  assert(#requests > 0, "no paths in " .. a.file)
  next_request = math.random(0, #requests - 1)
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end

done = common.done("paths")
