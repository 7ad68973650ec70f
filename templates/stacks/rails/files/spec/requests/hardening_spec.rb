require "rails_helper"

RSpec.describe "Hardening" do
  it "logs one JSON line per request with the client's request id, echoed back" do
    lines = []
    allow(Rails.logger).to receive(:info).and_wrap_original do |original, *args, &block|
      lines << args.first if args.first.is_a?(String)
      original.call(*args, &block)
    end
    get "/health/live", headers: { "X-Request-ID" => "req-12345" }
    expect(response.headers["X-Request-Id"]).to eq("req-12345")
    entry = lines.filter_map { |line| JSON.parse(line) if line.start_with?("{") }.last
    expect(entry).to include("request_id" => "req-12345", "method" => "GET", "path" => "/health/live",
                             "status" => 200)
    expect(entry["duration_ms"]).to be_a(Numeric)
  end

  it "generates a request id when the client sends none" do
    get "/health/live"
    expect(response.headers["X-Request-Id"]).to be_present
  end

  it "answers 413 to a body over MAX_BODY_BYTES, declared or chunked" do
    allow(BodyLimit).to receive(:max_bytes).and_return(100)
    post "/auth/login", params: { email: "a@example.com", password: "x" * 200 }.to_json, headers: json_headers
    expect_error(413, "payload_too_large")
    status, _headers, body = BodyLimit.new(->(_env) { [200, {}, ["ok"]] })
                                      .call("rack.input" => StringIO.new("x" * 101))
    expect(status).to eq(413)
    expect(JSON.parse(body.first)["error"]["details"]).to eq("max_bytes" => 100)
    expect(BodyLimit.new(->(_env) { [200, {}, ["ok"]] }).call("rack.input" => StringIO.new("x" * 100)).first)
      .to eq(200)
  end

  it "sends the security headers on every response" do
    ["/health/live", "/no/such/path"].each do |path|
      get path
      expect(response.headers["X-Content-Type-Options"]).to eq("nosniff")
      expect(response.headers["X-Frame-Options"]).to eq("DENY")
      expect(response.headers["Referrer-Policy"]).to eq("no-referrer")
      expect(response.headers["Content-Security-Policy"]).to include("frame-ancestors 'none'")
    end
    _status, headers, _body = SecurityHeaders.new(->(_env) { [200, {}, []] }, hsts: true).call({})
    expect(headers["Strict-Transport-Security"]).to include("max-age=")
  end

  it "answers 405 with Allow to a method Rails does not know" do
    status, headers, _body = MethodGuard.new(->(_env) { [200, {}, []] })
                                        .call("REQUEST_METHOD" => "QUERY", "PATH_INFO" => "/auth/login")
    expect(status).to eq(405)
    expect(headers["Allow"]).to eq("POST")
    status, = MethodGuard.new(->(_env) { [200, {}, []] }).call("REQUEST_METHOD" => "QUERY", "PATH_INFO" => "/nope")
    expect(status).to eq(404)
  end

  it "keeps CORS closed when CORS_ORIGINS is not set" do
    process :options, "/health/live", headers: { "Origin" => "https://evil.example",
                                                 "Access-Control-Request-Method" => "GET" }
    expect(response.headers).not_to have_key("Access-Control-Allow-Origin")
  end

  describe ConfigCheck do
    it "requires a real secret in production, naming the variable and how to make one" do
      [{}, { "SECRET_KEY" => "change-me" }, { "SECRET_KEY" => "short" }].each do |env|
        problems = described_class.problems(env, production: true)
        expect(problems.join).to include("SECRET_KEY", "bin/rails secret")
      end
      expect(described_class.problems({ "SECRET_KEY" => "a" * 64 }, production: true)).to be_empty
      expect(described_class.problems({}, production: false)).to be_empty
    end

    it "requires whole numbers for the limits" do
      problems = described_class.problems({ "MAX_BODY_BYTES" => "1MB", "AUTH_RATE_LIMIT" => "0" }, production: false)
      expect(problems.join("\n")).to include("MAX_BODY_BYTES", "AUTH_RATE_LIMIT")
    end

    it "stops the boot with the message" do
      allow(Rails.env).to receive(:production?).and_return(true)
      allow(ENV).to receive(:[]).and_call_original
      allow(ENV).to receive(:[]).with("SECRET_KEY_BASE").and_return(nil)
      allow(ENV).to receive(:[]).with("SECRET_KEY").and_return(nil)
      expect { described_class.run! }.to raise_error(SystemExit).and output(/SECRET_KEY/).to_stderr
    end
  end

  it "formats production log lines as JSON" do
    formatter = JsonLogFormatter.new
    line = formatter.call("INFO", Time.utc(2026, 1, 2), nil, "hello")
    expect(JSON.parse(line)).to include("level" => "info", "message" => "hello", "time" => "2026-01-02T00:00:00.000Z")
    expect(formatter.call("INFO", Time.now, nil, '{"a":1}')).to eq("{\"a\":1}\n")
  end
end
