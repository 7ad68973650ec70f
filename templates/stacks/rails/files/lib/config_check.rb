# The environment variables the app reads, checked once at boot.
module ConfigCheck
  PLACEHOLDERS = ["", "change-me", "changeme", "secret"].freeze
  MIN_SECRET_LENGTH = 32

  module_function

  def run!
    problems = problems(ENV, production: Rails.env.production?)
    return if problems.empty?

    warn("Configuration error:\n#{problems.map { |problem| "  - #{problem}" }.join("\n")}")
    exit(1)
  end

  def problems(env, production:)
    problems = []
    problems << secret_problem(env) if production
    %w[MAX_BODY_BYTES AUTH_RATE_LIMIT].each do |name|
      value = env[name]
      problems << "#{name} must be a whole number above 0 (got #{value.inspect})" if value && !positive?(value)
    end
    problems.compact
  end

  def secret_problem(env)
    secret = env["SECRET_KEY_BASE"].presence || env["SECRET_KEY"].to_s
    return if !PLACEHOLDERS.include?(secret) && secret.length >= MIN_SECRET_LENGTH

    "SECRET_KEY (or SECRET_KEY_BASE) must be set to a random secret of at least #{MIN_SECRET_LENGTH} characters " \
      "in production; make one with `bin/rails secret` (or `openssl rand -hex 64`)"
  end

  def positive?(value)
    value.match?(/\A[0-9]+\z/) && value.to_i.positive?
  end
end
