# Count and time every request for GET /metrics (lib/request_metrics.rb).
require Rails.root.join("lib/request_metrics").to_s

RequestMetrics.install
