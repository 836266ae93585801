-- GETs BENCH_PATH signed in, with compression, as a browser would: each
-- request as the next of this thread's participants (see participants.lua).
package.path = package.path .. ";" .. os.getenv("BENCH_LUA_DIR") .. "/?.lua"
require "summary"
require "participants"

local mine, n = {}, 0

function init(args)
  mine = participants(id)
end

function request()
  -- wrk checks the script by asking for one request before any thread's
  -- init: that one is never sent.
  if #mine == 0 then return wrk.format("GET", os.getenv("BENCH_PATH")) end
  n = n % #mine + 1
  return wrk.format("GET", os.getenv("BENCH_PATH"), {
    ["Cookie"] = mine[n].cookie,
    ["Accept-Encoding"] = "gzip, br",
  })
end
