require "rails_helper"

RSpec.describe "Auth" do
  describe "POST /auth/register" do
    it "creates a user and returns a token" do
      post "/auth/register", params: { email: "New@Example.com", password: "password123", name: "New" }.to_json,
                             headers: json_headers
      expect(response).to have_http_status(201)
      expect(json["access_token"]).to be_present
      expect(json["token"]).to eq(json["access_token"])
      expect(json["data"]).to include("email" => "new@example.com", "name" => "New")
      expect(json["data"]).not_to have_key("password_digest")
    end

    it "rejects an invalid email and a short password" do
      post "/auth/register", params: { email: "nope", password: "short" }.to_json, headers: json_headers
      expect_error(422, "validation_failed")
      expect(json["error"]["details"].keys).to include("email", "password")
    end

    it "answers 409 for a taken email" do
      create(:user, email: "taken@example.com")
      post "/auth/register", params: { email: "TAKEN@example.com", password: "password123" }.to_json,
                             headers: json_headers
      expect_error(409, "email_taken")
      expect(json["error"]["details"]).to have_key("email")
    end

    it "rejects wrong types, a non-ASCII password and a non-JSON body" do
      [{ email: 5, password: "password123" }, { email: "a@example.com", password: "pässwörd123" },
       { email: "a@example.com", password: "password123", name: ["x"] }].each do |body|
        post "/auth/register", params: body.to_json, headers: json_headers
        expect_error(422, "validation_failed")
      end
      post "/auth/register", params: "email=a@example.com", headers: { "Content-Type" => "text/plain" }
      expect_error(415, "unsupported_media_type")
    end

    it "rate-limits registrations" do
      freeze_time
      LoginThrottle.limit.times do |n|
        post "/auth/register", params: { email: "u#{n}@example.com", password: "password123" }.to_json,
                               headers: json_headers
        expect(response).to have_http_status(201)
      end
      post "/auth/register", params: { email: "last@example.com", password: "password123" }.to_json,
                             headers: json_headers
      expect_error(429, "rate_limited")
      expect(response.headers["Retry-After"].to_i).to be_between(1, LoginThrottle::PERIOD)
    end
  end

  describe "POST /auth/login" do
    let!(:user) { create(:user, email: "me@example.com", password: "password123") }

    it "returns a token for valid credentials" do
      post "/auth/login", params: { email: "me@example.com", password: "password123" }.to_json,
                          headers: json_headers
      expect(response).to have_http_status(200)
      expect(JsonWebToken.decode(json["access_token"])["sub"]).to eq(user.id)
    end

    it "rejects a wrong password" do
      post "/auth/login", params: { email: "me@example.com", password: "wrong-password" }.to_json,
                          headers: json_headers
      expect_error(401, "invalid_credentials")
    end

    it "requires the email and password, as strings" do
      post "/auth/login", params: {}.to_json, headers: json_headers
      expect_error(422, "validation_failed")
      expect(json["error"]["details"].keys).to contain_exactly("email", "password")
      post "/auth/login", params: { email: ["me@example.com"], password: 1 }.to_json, headers: json_headers
      expect_error(422, "validation_failed")
    end

    it "rejects malformed JSON" do
      post "/auth/login", params: "{not json", headers: json_headers
      expect_error(400, "bad_request")
    end

    it "rate-limits repeated attempts" do
      freeze_time
      LoginThrottle.limit.times do
        post "/auth/login", params: { email: "me@example.com", password: "wrong" }.to_json, headers: json_headers
        expect(response).to have_http_status(401)
      end
      post "/auth/login", params: { email: "me@example.com", password: "password123" }.to_json,
                          headers: json_headers
      expect_error(429, "rate_limited")
      expect(response.headers["Retry-After"].to_i).to be_between(1, LoginThrottle::PERIOD)
    end
  end

  describe "GET /auth/me" do
    let(:user) { create(:user) }

    it "returns the current user" do
      get "/auth/me", headers: auth_headers(user)
      expect(response).to have_http_status(200)
      expect(json["data"]).to include("id" => user.id, "email" => user.email, "is_admin" => false)
    end

    it "requires a token" do
      get "/auth/me"
      expect_error(401, "unauthorized")
    end

    it "rejects a forged token" do
      token = JWT.encode({ sub: user.id, exp: 1.hour.from_now.to_i }, "not-the-key", "HS256")
      get "/auth/me", headers: { "Authorization" => "Bearer #{token}" }
      expect_error(401, "unauthorized")
    end

    it "rejects an expired token" do
      token = JsonWebToken.encode({ sub: user.id }, -1.minute)
      get "/auth/me", headers: { "Authorization" => "Bearer #{token}" }
      expect_error(401, "unauthorized")
    end
  end
end
