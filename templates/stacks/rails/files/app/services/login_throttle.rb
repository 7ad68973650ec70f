# Counts attempts per client in Rails.cache: at most `limit` (AUTH_RATE_LIMIT,
# default 10) in each PERIOD window. Register and login use it. Works on every
# Rails version (no `rate_limit` macro).
class LoginThrottle
  PERIOD = 60 # seconds

  def self.limit
    Integer(ENV.fetch("AUTH_RATE_LIMIT", "10"), 10)
  end

  def initialize(client_id, limit: self.class.limit, period: PERIOD)
    @limit = limit
    @period = period
    @window = Time.now.to_i / period
    @key = "login-throttle/#{client_id}/#{@window}"
  end

  # Records one attempt; true once the client went over the limit.
  def exceeded?
    count = Rails.cache.increment(@key, 1, expires_in: @period)
    unless count
      Rails.cache.write(@key, 1, expires_in: @period, raw: true)
      count = 1
    end
    count > @limit
  end

  def retry_after
    ((@window + 1) * @period) - Time.now.to_i
  end
end
