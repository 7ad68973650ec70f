# Headers on every response, errors from middleware included: no MIME
# sniffing, no framing, no referrer, a CSP for JSON, and HSTS in production.
class SecurityHeaders
  HEADERS = {
    "X-Content-Type-Options" => "nosniff",
    "X-Frame-Options" => "DENY",
    "Referrer-Policy" => "no-referrer",
    "Content-Security-Policy" => "default-src 'none'; frame-ancestors 'none'"
  }.freeze
  HSTS = { "Strict-Transport-Security" => "max-age=63072000; includeSubDomains" }.freeze

  def initialize(app, hsts: false)
    @app = app
    @headers = hsts ? HEADERS.merge(HSTS) : HEADERS
  end

  def call(env)
    status, headers, body = @app.call(env)
    @headers.each { |name, value| headers[name] = value }
    [status, headers, body]
  end
end
