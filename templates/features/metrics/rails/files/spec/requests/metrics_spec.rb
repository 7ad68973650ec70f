require "rails_helper"

RSpec.describe "Metrics" do
  let(:live) { 'controller="health",action="live",status="200"' }

  before { RequestMetrics.reset }

  def bucket_counts(body, labels)
    pattern = /^http_request_duration_seconds_bucket\{#{Regexp.escape(labels)},le="([^"]+)"\} (\d+)$/
    body.scan(pattern).to_h.transform_values(&:to_i)
  end

  it "counts requests per controller, action and status" do
    2.times { get "/health/live" }
    get "/no/such/route"
    get "/metrics"
    expect(response).to have_http_status(200)
    expect(response.headers["Content-Type"]).to start_with("text/plain").and include("version=0.0.4")
    expect(response.body).to include("# TYPE http_requests_total counter")
    expect(response.body).to include("http_requests_total{#{live}} 2\n")
    expect(response.body).to include(
      'http_requests_total{controller="application",action="route_not_found",status="404"} 1'
    )
  end

  it "records the latency as a cumulative histogram" do
    get "/health/live"
    get "/metrics"
    body = response.body
    expect(body).to include("# TYPE http_request_duration_seconds histogram")
    expect(body).to include("http_request_duration_seconds_count{#{live}} 1\n")
    expect(body).to match(/^http_request_duration_seconds_sum\{#{Regexp.escape(live)}\} \d+\.\d+(e-\d+)?$/)
    counts = bucket_counts(body, live)
    expect(counts.keys.last).to eq("+Inf")
    expect(counts.size).to eq(RequestMetrics::BUCKETS.size + 1)
    expect(counts.values).to eq(counts.values.sort)
    expect(counts["+Inf"]).to eq(1)
  end

  it "puts a request into the buckets its duration fits" do
    RequestMetrics.observe({ controller: "ThingsController", action: "index", status: 201 }, 0.3)
    labels = 'controller="things",action="index",status="201"'
    counts = bucket_counts(RequestMetrics.render, labels)
    expect(counts.values_at("0.25", "0.5", "10", "+Inf")).to eq([0, 1, 1, 1])
    expect(RequestMetrics.render).to include("http_request_duration_seconds_sum{#{labels}} 0.3\n")
  end

  it "requires the token when METRICS_TOKEN is set" do
    allow(ENV).to receive(:fetch).and_call_original
    allow(ENV).to receive(:fetch).with("METRICS_TOKEN", "").and_return("s3cret")
    get "/metrics"
    expect_error(401, "unauthorized")
    get "/metrics", headers: { "Authorization" => "Bearer wrong" }
    expect_error(401, "unauthorized")
    get "/metrics", headers: { "Authorization" => "Bearer s3cret" }
    expect(response).to have_http_status(200)
  end
end
