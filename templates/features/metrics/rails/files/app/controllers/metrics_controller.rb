# GET /metrics: the request metrics in the Prometheus text format. Set
# METRICS_TOKEN to require "Authorization: Bearer <METRICS_TOKEN>" (Prometheus:
# `authorization: { credentials: ... }` in the scrape config).
class MetricsController < ApplicationController
  def show
    token = ENV.fetch("METRICS_TOKEN", "")
    if token.present? && !ActiveSupport::SecurityUtils.secure_compare(request.authorization.to_s, "Bearer #{token}")
      return render_error(401, "unauthorized", "Missing or invalid metrics token")
    end

    render plain: RequestMetrics.render, content_type: "text/plain; version=0.0.4"
  end
end
