-- wrk script for bench/load.sh: counts responses whose status is not the expected one.
--
--   BENCH_EXPECT=401 wrk ... -s bench/status.lua URL                 (GET, headers from wrk -H)
--   BENCH_METHOD=POST BENCH_BODY='{"..."}' BENCH_EXPECT=200 wrk ...  (JSON body)
--   BENCH_METHOD=POST BENCH_BODY='a=b' BENCH_CONTENT_TYPE=application/x-www-form-urlencoded wrk ...
--
-- The request stays static (no request() hook), so wrk builds it once per thread. done() prints
--   LUA_RESPONSES <n>       responses seen by the hook
--   LUA_UNEXPECTED <n> <status>=<count> ...
-- which load.sh parses.

local expect = tonumber(os.getenv("BENCH_EXPECT") or "200")

wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body ~= nil and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE") or "application/json"
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  seen = 0
  bad = 0
  codes = {}
end

function response(status, headers, body)
  seen = seen + 1
  if status ~= expect then
    bad = bad + 1
    codes[status] = (codes[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total_seen, total_bad, by_code = 0, 0, {}
  for _, t in ipairs(threads) do
    total_seen = total_seen + (t:get("seen") or 0)
    total_bad = total_bad + (t:get("bad") or 0)
    for code, n in pairs(t:get("codes") or {}) do
      by_code[code] = (by_code[code] or 0) + n
    end
  end
  local parts = {}
  for code, n in pairs(by_code) do
    table.insert(parts, string.format("%s=%d", tostring(code), n))
  end
  table.sort(parts)
  io.write(string.format("LUA_RESPONSES %d\n", total_seen))
  io.write(string.format("LUA_UNEXPECTED %d %s\n", total_bad, table.concat(parts, " ")))
end
