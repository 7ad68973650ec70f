require "rails_helper"

RSpec.describe "Health" do
  it "answers liveness" do
    get "/health/live"
    expect(response).to have_http_status(200)
    expect(json).to eq("status" => "ok")
  end

  it "answers readiness with a database check" do
    get "/health/ready"
    expect(response).to have_http_status(200)
    expect(json["checks"]).to eq("database" => "ok")
  end

  it "reports not ready when the database is unreachable" do
    error = ActiveRecord::ConnectionNotEstablished
    allow_any_instance_of(HealthController).to receive(:check_database).and_raise(error)
    get "/health/ready"
    expect_error(503, "not_ready")
  end

  it "returns the JSON error body for unknown routes" do
    get "/no/such/route"
    expect_error(404, "not_found")
  end
end
