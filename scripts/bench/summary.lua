-- Shared by every wrk run of scripts/bench.sh: prints one machine-readable
-- line. Threads count what wrk's summary does not: successes by status class,
-- refusals with and without Retry-After, completed journeys (journey.lua), and
-- receipts (saved to a file).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

ok, shed, shed_bare, other, other_status, journeys = 0, 0, 0, 0, 0, 0

function response(status, headers, body)
  if status < 400 then
    ok = ok + 1
    if on_success then on_success(status, headers) end
  elseif status == 503 or status == 429 then
    shed = shed + 1
    if not (headers["Retry-After"] or headers["retry-after"]) then
      shed_bare = shed_bare + 1
    end
  else
    other = other + 1
    other_status = status
  end
end

function done(summary, latency, requests)
  local t = { ok = 0, shed = 0, shed_bare = 0, other = 0, journeys = 0 }
  local last_other = 0
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + (thread:get(k) or 0) end
    if (thread:get("other_status") or 0) > 0 then last_other = thread:get("other_status") end
  end
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f ok_rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f ok=%d shed=%d shed_without_retry_after=%d other_status=%d last_other_status=%d socket_errors=%d journeys=%d journeys_per_s=%.1f\n",
    summary.requests, secs, summary.requests / secs, t.ok / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    t.ok, t.shed, t.shed_bare, t.other, last_other,
    e.connect + e.read + e.write + e.timeout, t.journeys, t.journeys / secs))
end
