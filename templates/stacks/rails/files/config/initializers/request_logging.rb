# Tag every log line of a request with its request id (also sent back in the
# X-Request-Id response header), so one request's lines can be found together.
Rails.application.config.log_tags = [:request_id]
