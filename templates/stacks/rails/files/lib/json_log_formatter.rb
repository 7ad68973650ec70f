require "json"
require "logger"

# Production log lines are JSON: a line that is already a JSON object (the
# request lines of lib/middleware/request_log.rb) as it is, any other message
# as {"time", "level", "message"}.
class JsonLogFormatter < ::Logger::Formatter
  def call(severity, time, _progname, message)
    text = message.is_a?(String) ? message : message.inspect
    return "#{text}\n" if text.start_with?("{") && text.end_with?("}")

    "#{{ time: time.utc.iso8601(3), level: severity.downcase, message: text }.to_json}\n"
  end
end
