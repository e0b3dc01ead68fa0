-- wrk script: authenticated GETs of the reviews listed in REVIEWS (comma-separated ids), round robin.
-- TOKENS holds one access token per review, in the same order (each review is read by one of its parties).
-- Usage: REVIEWS=id1,id2 TOKENS=t1,t2 wrk -t2 -c50 -d60s --latency -s benchmarks/wrk_read.lua http://127.0.0.1:8000

local reviews, tokens = {}, {}
for id in string.gmatch(os.getenv("REVIEWS") or "", "[^,]+") do table.insert(reviews, id) end
for t in string.gmatch(os.getenv("TOKENS") or "", "[^,]+") do table.insert(tokens, t) end
local n = 0

request = function()
  n = n + 1
  local i = (n % #reviews) + 1
  return wrk.format("GET", "/reviews/" .. reviews[i], { ["Authorization"] = "Bearer " .. tokens[i] })
end

local non2xx = 0
response = function(status, headers, body)
  if status ~= 200 then non2xx = non2xx + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("WRK_JSON {\"requests\": %d, \"duration_us\": %d, \"errors_connect\": %d, " ..
    "\"errors_read\": %d, \"errors_write\": %d, \"errors_status\": %d, \"errors_timeout\": %d, " ..
    "\"p50_us\": %d, \"p95_us\": %d, \"p99_us\": %d}\n",
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
