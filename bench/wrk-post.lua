-- wrk script for bench/workers.ts: POST the body in $BODY_FILE with the headers in $HDR_FILE
-- ("Name: value" lines); prints one line `WRKJSON {...}` with the request count and latencies.
local function slurp(p)
  local f = assert(io.open(p, "rb")); local s = f:read("*a"); f:close(); return s
end
wrk.method = "POST"
wrk.body = slurp(os.getenv("BODY_FILE"))
wrk.headers["Content-Type"] = "application/json"
for line in io.lines(os.getenv("HDR_FILE")) do
  local k, v = line:match("^%s*([^:]+[^:%s])%s*:%s*(.-)%s*$")
  if k then wrk.headers[k] = v end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests":%d,"duration_s":%.3f,"p50_ms":%.3f,"p99_ms":%.3f,"non2xx":%d,"errors":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3,
    e.status, e.connect + e.read + e.write + e.timeout))
end
