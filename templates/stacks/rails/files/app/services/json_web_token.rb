# Issues and verifies the API's access tokens (HS256 JWTs signed with the
# app's secret_key_base).
module JsonWebToken
  ALGORITHM = "HS256".freeze
  TTL = 24.hours

  module_function

  def encode(payload, ttl = TTL)
    now = Time.now.to_i
    JWT.encode(payload.merge(iat: now, exp: now + ttl.to_i), key, ALGORITHM)
  end

  # The token's payload, or nil when the token is malformed, forged or expired.
  def decode(token)
    payload, _header = JWT.decode(token, key, true, algorithm: ALGORITHM)
    payload
  rescue JWT::DecodeError
    nil
  end

  def key
    Rails.application.secret_key_base
  end
end
