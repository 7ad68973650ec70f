# One JSON line per request: its id (X-Request-ID when the client sent one,
# else generated; echoed in the X-Request-Id response header by Rails), method,
# path, status and duration in milliseconds.
class RequestLog
  def initialize(app, logger: nil)
    @app = app
    @logger = logger
  end

  def call(env)
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    response = @app.call(env)
    log(env, response[0], started)
    response
  rescue StandardError
    log(env, 500, started)
    raise
  end

  private

  def log(env, status, started)
    line = {
      time: Time.now.utc.iso8601(3), level: "info", request_id: env["action_dispatch.request_id"],
      method: env["REQUEST_METHOD"], path: env["PATH_INFO"], status: status,
      duration_ms: ((Process.clock_gettime(Process::CLOCK_MONOTONIC) - started) * 1000).round(1)
    }
    (@logger || Rails.logger).info(line.to_json)
  end
end
