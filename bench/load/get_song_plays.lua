-- wrk script: GET /get_song_plays for a random W1 song (uniform over the 30,
-- not weighted by popularity) over a random one-week window
-- [midnight, midnight + 7 days) within 2015-2016.
-- Usage: wrk -t1 -c50 -d10s -s bench/load/get_song_plays.lua URL -- seed=1
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local w1 = dofile(dir .. "common.lua")

setup = w1.setup
response = w1.response
done = w1.done("get_song_plays")

-- Requests are made up front (wrk's advice) and replayed in a cycle.
local requests, next_request = {}, 0

function init(args)
  w1.init(args)
  for i = 1, 4096 do
    local song = w1.songs[math.random(#w1.songs)]
    local t = w1.random_week_start()
    requests[i] = wrk.format("GET", "/get_song_plays?title=" .. w1.encode(song.title) ..
      "&performer=" .. w1.encode(song.performer) ..
      "&start=" .. w1.encode(w1.time(t)) .. "&end=" .. w1.encode(w1.time(t + 7 * w1.day)))
  end
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end
