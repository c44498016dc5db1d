-- wrk script: spreads requests over the paths in BENCH_PATHS (space-separated) with the method
-- in BENCH_METHOD (default GET), and prints one key=value line scripts/bench.sh reads.
local paths = {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "/", "%S+") do
  table.insert(paths, path)
end
local method = os.getenv("BENCH_METHOD") or "GET"
local headers = {}
if os.getenv("BENCH_AUTHORIZATION") then
  headers["Authorization"] = os.getenv("BENCH_AUTHORIZATION")
end
local counter = 0

request = function()
  counter = counter + 1
  return wrk.format(method, paths[(counter % #paths) + 1], headers)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "bench: requests=%d seconds=%.2f rate=%.1f non2xx=%d socket_errors=%d timeouts=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), e.status,
    e.connect + e.read + e.write, e.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
