-- GETs one path with compression, as a browser would.
package.path = package.path .. ";" .. os.getenv("BENCH_LUA_DIR") .. "/?.lua"
require "summary"
wrk.headers["Accept-Encoding"] = "gzip, br"
