# Cross-origin requests: set CORS_ORIGINS to a comma-separated list of allowed
# origins (e.g. "http://localhost:5173"); unset allows none.
origins = ENV.fetch("CORS_ORIGINS", "").split(",").map(&:strip).reject(&:empty?)

if origins.any?
  Rails.application.config.middleware.insert_before 0, Rack::Cors do
    allow do
      origins(*origins)
      resource "*",
               headers: :any,
               expose: %w[Authorization X-Request-Id],
               methods: %i[get post put patch delete options head]
    end
  end
end
