# rails_helper clears Rails.cache before each example; clear it once more at the
# end, so a run leaves no keys behind in Redis (only this run's namespace is deleted).
RSpec.configure do |config|
  config.after(:suite) { Rails.cache.clear }
end
