-- wrk script: GET as given; prints one summary line.
function done(summary, latency, requests)
  io.write(string.format("LOADTEST requests=%d errors_status=%d p50_ms=%.2f p99_ms=%.2f rps=%.0f\n",
    summary.requests, summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6)))
end
