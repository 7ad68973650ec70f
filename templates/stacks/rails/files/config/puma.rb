# Puma serves the app; `bin/rails server` and the Docker image both use this file.
max_threads_count = ENV.fetch("RAILS_MAX_THREADS", 5)
min_threads_count = ENV.fetch("RAILS_MIN_THREADS", max_threads_count)
threads min_threads_count, max_threads_count

port ENV.fetch("PORT", 3000)
pidfile ENV["PIDFILE"] if ENV["PIDFILE"]

plugin :tmp_restart
