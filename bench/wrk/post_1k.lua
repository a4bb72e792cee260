-- wrk: POST a 1 KiB JSON body (the size of a typical hookline event) to the
-- benchmark receiver, keep-alive. The reference for P1 and P2: the rate one
-- HTTP exchange per event can reach on this machine.
--   wrk -t2 -c16 -d10s -s bench/wrk/post_1k.lua http://127.0.0.1:PORT/wrk
-- Prints one last line "wrk_json {...}" that bench/run.sh reads.

local size = 1024
local head = '{"id":"evt_wrk0000000000000000000000","object":"event","type":"customer.created",'
  .. '"data":{"object":{"id":"cus_wrk","object":"customer","description":"'
local tail = '"}}}'
local body = head .. string.rep("x", size - #head - #tail) .. tail

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'wrk_json {"requests":%d,"seconds":%.3f,"requests_per_s":%.1f,"errors":%d,'
      .. '"body_bytes":%d,"latency_p50_us":%d,"latency_p99_us":%d}\n',
    summary.requests, seconds, summary.requests / seconds, errors, #body,
    latency:percentile(50), latency:percentile(99)))
end
