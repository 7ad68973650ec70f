# Counts login attempts per client in Rails.cache: at most LIMIT attempts in
# each PERIOD window. Works on every Rails version (no `rate_limit` macro).
class LoginThrottle
  LIMIT = 5
  PERIOD = 60 # seconds

  def initialize(client_id, limit: LIMIT, period: PERIOD)
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
