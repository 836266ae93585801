-- Signs in with a real account (argon2 verification each time) using one
-- writer's cookie for the CSRF token.
package.path = package.path .. ";" .. os.getenv("BENCH_LUA_DIR") .. "/?.lua"
require "summary"

local cookie, csrf

function init(args)
  for line in io.lines(os.getenv("BENCH_WRITERS") .. ".00") do
    cookie = line:match("^([^\t]+)\t")
    csrf = line:match("\t(csrf_token=[^&]+)")
    break
  end
end

function request()
  return wrk.format("POST", "/login", {
    ["Cookie"] = cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, csrf .. "&email=" .. os.getenv("BENCH_EMAIL") .. "&password=" .. os.getenv("BENCH_PASSWORD") .. "&next=%2F")
end
