# Requests are logged as one JSON line each by RequestLog (lib/middleware),
# with the request id; Rails' own per-request lines would repeat them.
ActiveSupport.on_load(:action_controller) do
  ActionController::LogSubscriber.detach_from(:action_controller) unless Rails.env.development?
end
