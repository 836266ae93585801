-- Each request is a different participant's complete submission: lines of
-- "cookie<TAB>form body" from BENCH_WRITERS.<thread id>, used in turn (then
-- again: a second submit is a new revision with a new receipt). Every receipt
-- the server acknowledges (303 to ...?receipt=CODE) is appended to
-- BENCH_RECEIPTS.<thread id> so the database can be checked afterwards.
package.path = package.path .. ";" .. os.getenv("BENCH_LUA_DIR") .. "/?.lua"
require "summary"

local lines, n, receipts = {}, 0, nil

function init(args)
  for line in io.lines(os.getenv("BENCH_WRITERS") .. "." .. string.format("%02d", id)) do
    local cookie, body = line:match("^([^\t]+)\t(.+)$")
    table.insert(lines, { cookie, body })
  end
  receipts = io.open(os.getenv("BENCH_RECEIPTS") .. "." .. id, "a")
end

function request()
  n = n % #lines + 1
  local l = lines[n]
  return wrk.format("POST", os.getenv("BENCH_PATH"), {
    ["Cookie"] = l[1],
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, l[2])
end

function on_success(status, headers)
  local location = headers["Location"] or headers["location"] or ""
  local code = location:match("receipt=([%w%-]+)")
  if code then
    receipts:write(code, "\n")
    receipts:flush()
  end
end
