-- A participant's whole journey, one after another on each connection (run
-- with as many wrk threads as connections, so that each thread's state is
-- one connection's): GET the round page, POST save, POST review, POST
-- submit, then GET the page the submit redirects to, which shows the
-- receipt. Each journey is the next of this thread's participants (see
-- participants.lua), with their own session and CSRF token, and a new form
-- token per form as a browser's page would carry. A journey counts when its
-- five answers are the expected ones; any other answer starts the next
-- journey. Receipts go to BENCH_RECEIPTS.<thread id>.
package.path = package.path .. ";" .. os.getenv("BENCH_LUA_DIR") .. "/?.lua"
require "summary"
require "participants"

local mine, n, step, receipt_path, receipts = {}, 0, 1, nil, nil
-- Form tokens are never reused, even when a participant journeys again.
local run, journey = os.time(), 0
local round = os.getenv("BENCH_PATH")
local steps = {
  { method = "GET", expect = 200 },
  { method = "POST", action = "save", expect = 303 },
  { method = "POST", action = "review", expect = 200 },
  { method = "POST", action = "submit", expect = 303 },
  { method = "GET", expect = 200 },
}

function init(args)
  mine = participants(id)
  receipts = io.open(os.getenv("BENCH_RECEIPTS") .. "." .. id, "a")
end

function request()
  -- wrk checks the script by asking for one request before any thread's
  -- init: that one is never sent.
  if #mine == 0 then return wrk.format("GET", round) end
  if step == 1 then
    n = n % #mine + 1
    journey = journey + 1
  end
  local token = string.format("&form_token=bench-%d-%d-%d-%d", run, id, journey, step)
  local p, s = mine[n], steps[step]
  local headers = { ["Cookie"] = p.cookie, ["Accept-Encoding"] = "gzip, br" }
  if s.method == "GET" then
    return wrk.format("GET", step == 1 and round or receipt_path, headers)
  end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  local body = p.body:gsub("action=submit", "action=" .. s.action, 1) .. token
  if s.action == "submit" then
    -- The review step's form: the answers are the ones stored when reviewed.
    body = p.body:match("^(csrf_token=[^&]+)") .. "&page=review&action=submit" .. token
  end
  return wrk.format("POST", round .. "/submission", headers, body)
end

function on_success(status, headers)
  if status ~= steps[step].expect then
    step = 1
    return
  end
  if step == 4 then
    receipt_path = headers["Location"] or headers["location"] or ""
    local code = receipt_path:match("receipt=([%w%-]+)")
    if not code then
      step = 1
      return
    end
    receipts:write(code, "\n")
    receipts:flush()
  end
  if step == 5 then
    journeys = journeys + 1
    step = 1
  else
    step = step + 1
  end
end

local counted = response
function response(status, headers, body)
  counted(status, headers, body)
  if status >= 400 then step = 1 end
end
