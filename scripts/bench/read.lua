-- GETs one path with compression, as a browser would. With BENCH_PAUSE_MS,
-- each connection pauses that long between pages, as a person browsing does,
-- rather than asking again the moment an answer arrives.
package.path = package.path .. ";" .. os.getenv("BENCH_LUA_DIR") .. "/?.lua"
require "summary"
wrk.headers["Accept-Encoding"] = "gzip, br"

local pause = tonumber(os.getenv("BENCH_PAUSE_MS") or "0")
if pause > 0 then
  function delay()
    return pause
  end
end
