# Register, log in (returns a JWT) and read the current user.
class AuthController < ApplicationController
  before_action :authenticate_user!, only: :me
  before_action :throttle, only: %i[register login]

  def register
    user = User.new(checked_body(User::FIELDS))
    if user.save
      render status: 201, json: token_response(user)
    elsif user.errors.of_kind?(:email, :taken)
      render_error(409, "email_taken", "An account with this email exists", user.errors.to_hash)
    else
      render_validation_error(user)
    end
  end

  def login
    credentials = checked_body(User::LOGIN_FIELDS)
    user = User.find_by(email: credentials[:email].downcase)
    if user&.authenticate(credentials[:password])
      render json: token_response(user)
    else
      render_error(401, "invalid_credentials", "Invalid email or password")
    end
  end

  def me
    render json: { data: current_user.as_json_api }
  end

  private

  def checked_body(fields)
    attributes, errors = FieldRules.check(fields, json_body, create: true)
    raise HttpError.new(422, "validation_failed", "Validation failed", errors) if errors.any?

    attributes
  end

  # The token is `access_token` (and `token`, as before).
  def token_response(user)
    token = JsonWebToken.encode(sub: user.id)
    { access_token: token, token: token, token_type: "Bearer",
      expires_in: JsonWebToken::TTL.to_i, data: user.as_json_api }
  end

  # AUTH_RATE_LIMIT attempts a minute per client IP on each of register and login.
  def throttle
    throttle = LoginThrottle.new("#{action_name}/#{request.remote_ip}")
    return unless throttle.exceeded?

    response.set_header("Retry-After", throttle.retry_after.to_s)
    render_error(429, "rate_limited", "Too many attempts; try again later")
  end
end
