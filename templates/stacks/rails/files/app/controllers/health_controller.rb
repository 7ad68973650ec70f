# Liveness says the process answers; readiness says it can reach the database.
class HealthController < ApplicationController
  def live
    render json: { status: "ok" }
  end

  def ready
    check_database
    render json: { status: "ok", checks: { database: "ok" } }
  rescue StandardError => e
    logger.warn("readiness check failed: #{e.class}: #{e.message}")
    render_error(503, "not_ready", "Database unavailable", { database: "unavailable" })
  end

  private

  def check_database
    ActiveRecord::Base.connection_pool.with_connection { |conn| conn.select_value("SELECT 1") }
  end
end
