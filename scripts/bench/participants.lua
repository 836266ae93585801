-- The participants of one wrk thread: lines "cookie<TAB>form body" of
-- BENCH_WRITERS, every BENCH_THREADS-th line from this thread's id on, so
-- that threads never share a participant.
function participants(id)
  local mine, i = {}, 0
  local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
  for line in io.lines(os.getenv("BENCH_WRITERS")) do
    if i % threads == id then
      local cookie, body = line:match("^([^\t]+)\t(.+)$")
      table.insert(mine, { cookie = cookie, body = body })
    end
    i = i + 1
  end
  return mine
end
