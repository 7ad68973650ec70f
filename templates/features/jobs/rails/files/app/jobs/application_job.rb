# Base class of the app's background jobs (Active Job, run by Sidekiq).
class ApplicationJob < ActiveJob::Base
  # A record deleted before its job ran: nothing left to do.
  discard_on ActiveJob::DeserializationError
end
