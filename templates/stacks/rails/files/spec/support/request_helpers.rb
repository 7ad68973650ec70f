# Helpers for request specs.
module RequestHelpers
  def json
    JSON.parse(response.body)
  end

  def auth_headers(user)
    { "Authorization" => "Bearer #{JsonWebToken.encode(sub: user.id)}" }
  end

  def json_headers(extra = {})
    { "Content-Type" => "application/json", "Accept" => "application/json" }.merge(extra)
  end

  def expect_error(status, code)
    expect(response).to have_http_status(status)
    expect(json["error"]).to include("code" => code)
    expect(json["error"].keys).to contain_exactly("code", "message", "details")
  end
end
