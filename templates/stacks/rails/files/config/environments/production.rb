Rails.application.configure do
  config.cache_classes = true
  config.eager_load = true

  config.consider_all_requests_local = false

  # One process-local cache backs the login rate limit; use a shared store
  # (Redis, Memcached) when running more than one process.
  config.cache_store = :memory_store

  config.log_level = ENV.fetch("RAILS_LOG_LEVEL", "info").to_sym

  # Log to STDOUT for containers (set RAILS_LOG_TO_STDOUT=1).
  if ENV["RAILS_LOG_TO_STDOUT"].present?
    logger = ActiveSupport::Logger.new($stdout)
    logger.formatter = ::Logger::Formatter.new
    config.logger = ActiveSupport::TaggedLogging.new(logger)
  end

  config.active_support.deprecation = :notify
  config.i18n.fallbacks = true

  # Do not dump the schema after migrations in production.
  config.active_record.dump_schema_after_migration = false
end
