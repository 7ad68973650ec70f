require "rails_helper"

RSpec.describe "OpenAPI and routing" do
  it "serves the OpenAPI 3.1 document" do
    get "/openapi.json"
    expect(response).to have_http_status(200)
    expect(json["openapi"]).to eq("3.1.0")
    expect(json["paths"]).to include("/auth/login", "/auth/register", "/health/live", "/health/ready")
    json["paths"].each_value do |operations|
      operations.each_value { |operation| expect(operation["responses"]).to include("429") }
    end
  end

  it "is off in production unless API_DOCS=true" do
    allow(Rails.env).to receive(:production?).and_return(true)
    get "/openapi.json"
    expect_error(404, "not_found")
    allow(ENV).to receive(:[]).and_call_original
    allow(ENV).to receive(:[]).with("API_DOCS").and_return("true")
    get "/openapi.json"
    expect(response).to have_http_status(200)
  end

  it "answers 405 with Allow to a wrong method on a known path, 204 to OPTIONS" do
    delete "/auth/login"
    expect_error(405, "method_not_allowed")
    expect(response.headers["Allow"]).to eq("POST")
    process :options, "/health/live"
    expect(response).to have_http_status(204)
    expect(response.headers["Allow"]).to eq("GET")
  end

  it "answers 404 to an unknown path" do
    get "/no/such/path"
    expect_error(404, "not_found")
  end
end
