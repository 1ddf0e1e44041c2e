-- wrk script of the grants section: each request is the next line of the file named by the
-- environment variable WRK_REQUESTS ("METHOD<TAB>PATH<TAB>AUTHORIZATION or -<TAB>BODY or -"),
-- so one connection cycles through many tokens' credentials; threads start at different
-- lines. done() prints one JSON line (rate, latency percentiles, errors) for the section.
local reqs = {}
local i = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("WRK_REQUESTS")) do
    local m, p, a, b = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local h = {}
    if a ~= "-" then h["Authorization"] = a end
    if b ~= "-" then
      h["Content-Type"] = "application/x-www-form-urlencoded"
    else
      b = nil
    end
    table.insert(reqs, wrk.format(m, p, h, b))
  end
  i = (tid * 7919) % #reqs
end

function request()
  i = i % #reqs + 1
  return reqs[i]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"status_errors":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
