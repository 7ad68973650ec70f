Rails.application.configure do
  config.cache_classes = true
  config.eager_load = ENV["CI"].present?

  # Errors render as they do in production: the JSON error body.
  config.consider_all_requests_local = false

  # A real store so the login rate limit can be tested; specs clear it before each example.
  config.cache_store = :memory_store

  config.active_support.deprecation = :stderr
  config.hosts.clear
end
