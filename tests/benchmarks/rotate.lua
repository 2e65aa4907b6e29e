-- wrk script of `make bench-load`: each request goes to the next target of a
-- file given after `--`, one "host<TAB>bearer token or empty<TAB>path" a line;
-- done() prints one WEFT line for tests/benchmarks/load.py to read.
local threads = 0
local targets = {}
local index = 0

function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do
    local host, token, path = line:match("^(%S+)\t(%S*)\t(%S+)$")
    local headers = { Host = host }
    if token ~= "" then
      headers["Authorization"] = "Bearer " .. token
    end
    table.insert(targets, wrk.format("GET", path, headers))
  end
  index = (offset * 7) % #targets
end

function request()
  index = index % #targets + 1
  return targets[index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WEFT requests=%d seconds=%.3f p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
