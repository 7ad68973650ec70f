# A Rack response in the API's error format, for middleware that answers
# before a controller runs.
module JsonError
  module_function

  def response(status, code, message, details = {})
    body = { error: { code: code, message: message, details: details } }.to_json
    [status, { "Content-Type" => "application/json; charset=utf-8", "Content-Length" => body.bytesize.to_s }, [body]]
  end
end
