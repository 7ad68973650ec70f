# Register, log in (returns a JWT) and read the current user.
class AuthController < ApplicationController
  before_action :authenticate_user!, only: :me
  before_action :throttle_login, only: :login

  def register
    user = User.new(register_params)
    if user.save
      render status: 201, json: token_response(user)
    else
      render_validation_error(user)
    end
  end

  def login
    user = User.find_by(email: params.require(:email).to_s.strip.downcase)
    if user&.authenticate(params.require(:password).to_s)
      render json: token_response(user)
    else
      render_error(401, "invalid_credentials", "Invalid email or password")
    end
  end

  def me
    render json: { data: current_user.as_json_api }
  end

  private

  def register_params
    params.permit(:email, :password, :name)
  end

  def token_response(user)
    { token: JsonWebToken.encode(sub: user.id), token_type: "Bearer",
      expires_in: JsonWebToken::TTL.to_i, data: user.as_json_api }
  end

  def throttle_login
    throttle = LoginThrottle.new(request.remote_ip)
    return unless throttle.exceeded?

    response.set_header("Retry-After", throttle.retry_after.to_s)
    render_error(429, "rate_limited", "Too many login attempts; try again later")
  end
end
