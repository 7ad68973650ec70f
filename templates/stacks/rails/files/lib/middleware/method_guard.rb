# Answers a method Rails does not know (QUERY, FOO...) before Rails raises on
# it: 405 with the path's Allow header when it has routes, else 404.
class MethodGuard
  KNOWN = %w[GET HEAD POST PUT PATCH DELETE OPTIONS].freeze
  ROUTED = %w[GET PUT PATCH POST DELETE].freeze

  def initialize(app)
    @app = app
  end

  def call(env)
    return @app.call(env) if KNOWN.include?(env["REQUEST_METHOD"])

    allowed = self.class.allowed_methods(env["PATH_INFO"].to_s)
    return JsonError.response(404, "not_found", "No route matches this path") if allowed.empty?

    status, headers, body = JsonError.response(405, "method_not_allowed", "Use #{allowed.join(", ")}")
    [status, headers.merge("Allow" => allowed.join(", ")), body]
  end

  # The methods the routes answer on `path` (the catch-all 404 route aside).
  def self.allowed_methods(path)
    ROUTED.select do |method|
      Rails.application.routes.recognize_path(path, method: method)[:action] != "route_not_found"
    rescue ActionController::RoutingError
      false
    end
  end
end
