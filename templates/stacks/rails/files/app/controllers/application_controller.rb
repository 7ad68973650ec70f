# Every error leaves the API in one JSON shape:
#   {"error": {"code": "not_found", "message": "...", "details": {...}}}
class ApplicationController < ActionController::API
  # Raised to stop an action with an error response.
  class HttpError < StandardError
    attr_reader :status, :code, :details

    def initialize(status, code, message, details = {})
      super(message)
      @status = status
      @code = code
      @details = details
    end
  end

  # rescue_from handlers are searched from the last one up: general first.
  rescue_from StandardError, with: :render_internal_error
  rescue_from HttpError, with: :render_http_error
  rescue_from ActiveRecord::RecordNotFound, with: :render_not_found
  rescue_from ActiveRecord::RecordInvalid, with: :render_record_invalid
  rescue_from ActionController::ParameterMissing, with: :render_bad_request
  rescue_from ActionDispatch::Http::Parameters::ParseError, with: :render_parse_error
  rescue_from ActionController::BadRequest, with: :render_parse_error

  # No route for this method: 405 with Allow when the path has routes for
  # other methods (OPTIONS: 204 with Allow), else 404.
  def route_not_found
    allowed = MethodGuard.allowed_methods(request.path)
    return render_error(404, "not_found", "No route matches #{request.method} #{request.path}") if allowed.empty?

    response.set_header("Allow", allowed.join(", "))
    return head 204 if request.request_method == "OPTIONS"

    render_error(405, "method_not_allowed", "#{request.request_method} is not allowed here; use #{allowed.join(", ")}")
  end

  private

  def render_error(status, code, message, details = {})
    render status: status, json: { error: { code: code, message: message, details: details } }
  end

  def render_validation_error(record)
    render_error(422, "validation_failed", "Validation failed", record.errors.to_hash)
  end

  def render_http_error(error)
    render_error(error.status, error.code, error.message, error.details)
  end

  def render_not_found(error)
    model = error.model.presence || "Record"
    render_error(404, "not_found", "#{model} not found")
  end

  def render_record_invalid(error)
    render_validation_error(error.record)
  end

  def render_bad_request(error)
    render_error(400, "bad_request", error.message)
  end

  def render_parse_error(_error)
    render_error(400, "bad_request", "The request is malformed (not valid JSON, or not UTF-8)")
  end

  # The request's JSON object: 415 unless the body is JSON, 422 unless it is an object.
  def json_body
    unless request.media_type.to_s.match?(%r{\Aapplication/([a-z0-9.+-]+\+)?json\z}i)
      raise HttpError.new(415, "unsupported_media_type", "Send JSON with Content-Type: application/json")
    end

    body = request.request_parameters
    if body.key?("_json") || !body.is_a?(Hash)
      raise HttpError.new(422, "validation_failed", "Validation failed", { body: ["must be a JSON object"] })
    end

    body
  end

  def render_internal_error(error)
    raise error if Rails.env.development?

    logger.error("#{error.class}: #{error.message}\n#{Array(error.backtrace).first(20).join("\n")}")
    render_error(500, "internal_error", "Internal server error")
  end

  # Authentication: a JWT in "Authorization: Bearer <token>".

  def authenticate_user!
    current_user || raise(HttpError.new(401, "unauthorized", "Missing or invalid access token"))
  end

  # 403 unless the current user owns the record or is an admin.
  def authorize_change!(record)
    return if current_user.may_change?(record)

    raise HttpError.new(403, "forbidden", "Only the owner or an admin may change this record")
  end

  def current_user
    return @current_user if defined?(@current_user)

    @current_user = user_from_token
  end

  def user_from_token
    scheme, token = request.authorization.to_s.split(" ", 2)
    return nil unless scheme&.casecmp?("Bearer") && token.present?

    payload = JsonWebToken.decode(token)
    payload && User.find_by(id: payload["sub"])
  end
end
