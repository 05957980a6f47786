-- wrk script: GET /get_top over all 10 W1 channels (a JSON list,
-- percent-encoded), limit 10, for the week starting at a random midnight in
-- 2015-2016.
-- Usage: wrk -t1 -c50 -d10s -s bench/load/get_top.lua URL -- seed=1
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local w1 = dofile(dir .. "common.lua")

setup = w1.setup
response = w1.response
done = w1.done("get_top")

-- Requests are made up front (wrk's advice) and replayed in a cycle.
local requests, next_request = {}, 0

function init(args)
  w1.init(args)
  local quoted = {}
  for i, c in ipairs(w1.channels) do quoted[i] = '"' .. c .. '"' end
  local channels = w1.encode("[" .. table.concat(quoted, ",") .. "]")
  for i = 1, 4096 do
    local t = w1.first_day + math.random(0, w1.days - 1) * w1.day
    requests[i] = wrk.format("GET", "/get_top?channels=" .. channels ..
      "&start=" .. w1.encode(w1.time(t)) .. "&limit=10")
  end
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end
