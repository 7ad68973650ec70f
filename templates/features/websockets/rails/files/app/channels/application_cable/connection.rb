module ApplicationCable
  # A WebSocket connection to /cable, authenticated with the API's JWT:
  #   ws://localhost:3000/cable?token=<token>
  # (browsers cannot set headers on a WebSocket; other clients may send
  # "Authorization: Bearer <token>" instead). Anything else is rejected.
  class Connection < ActionCable::Connection::Base
    identified_by :current_user

    def connect
      self.current_user = find_verified_user
    end

    private

    def find_verified_user
      payload = JsonWebToken.decode(token.to_s)
      user = payload && User.find_by(id: payload["sub"])
      user || reject_unauthorized_connection
    end

    def token
      scheme, value = request.authorization.to_s.split(" ", 2)
      return value if scheme&.casecmp?("Bearer") && value.present?

      request.params[:token]
    end
  end
end
