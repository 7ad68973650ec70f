# Prometheus metrics of the HTTP API, kept in this process and rendered in the
# text exposition format at GET /metrics (no client gem needed):
#   http_requests_total{controller,action,status}             counter
#   http_request_duration_seconds{controller,action,status}   histogram
# Every controller action is measured through the "process_action.action_controller"
# notification. With several server processes, each one reports its own numbers.
module RequestMetrics
  BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10].freeze
  MUTEX = Mutex.new
  @series = {}

  class << self
    # Subscribes to every controller action; call once, at boot.
    def install
      ActiveSupport::Notifications.subscribe("process_action.action_controller") do |event|
        observe(event.payload, event.duration / 1000.0)
      end
    end

    # Records one request: the notification's payload and its duration in seconds.
    def observe(payload, seconds)
      status = payload[:status] || (payload[:exception] ? 500 : 0)
      labels = [payload[:controller].to_s.delete_suffix("Controller").underscore, payload[:action].to_s, status.to_s]
      MUTEX.synchronize do
        series = (@series[labels] ||= { count: 0, sum: 0.0, buckets: Array.new(BUCKETS.size, 0) })
        series[:count] += 1
        series[:sum] += seconds
        BUCKETS.each_with_index { |bound, i| series[:buckets][i] += 1 if seconds <= bound }
      end
    end

    # The metrics in the Prometheus text format (version 0.0.4).
    def render
      snapshot = MUTEX.synchronize { @series.transform_values(&:deep_dup) }
      lines = ["# HELP http_requests_total HTTP requests handled, by controller, action and status.",
               "# TYPE http_requests_total counter"]
      snapshot.each { |labels, series| lines << "http_requests_total{#{label_text(labels)}} #{series[:count]}" }
      lines << "# HELP http_request_duration_seconds Time to handle an HTTP request, in seconds."
      lines << "# TYPE http_request_duration_seconds histogram"
      snapshot.each { |labels, series| lines.concat(histogram_lines(label_text(labels), series)) }
      "#{lines.join("\n")}\n"
    end

    def reset
      MUTEX.synchronize { @series = {} }
    end

    private

    def histogram_lines(labels, series)
      name = "http_request_duration_seconds"
      lines = BUCKETS.each_with_index.map do |bound, i|
        "#{name}_bucket{#{labels},le=\"#{bound}\"} #{series[:buckets][i]}"
      end
      lines << "#{name}_bucket{#{labels},le=\"+Inf\"} #{series[:count]}"
      lines << "#{name}_sum{#{labels}} #{series[:sum].round(6)}"
      lines << "#{name}_count{#{labels}} #{series[:count]}"
    end

    def label_text(labels)
      names = %w[controller action status]
      names.zip(labels).map { |name, value| "#{name}=\"#{escape(value)}\"" }.join(",")
    end

    def escape(value)
      value.to_s.gsub("\\") { "\\\\" }.gsub("\"") { "\\\"" }.gsub("\n") { "\\n" }
    end
  end
end
