require "spec_helper"
ENV["RAILS_ENV"] = "test"
require_relative "../config/environment"
abort("The Rails environment is running in production mode!") if Rails.env.production?
require "rspec/rails"
require "factory_bot"

Dir[Rails.root.join("spec/support/**/*.rb")].sort.each { |f| require f }

# No db/schema.rb is shipped: create the test database if needed and bring it
# up to date from db/migrate (SQLite by default, or DATABASE_URL).
begin
  ActiveRecord::Base.connection_pool.with_connection(&:active?)
rescue ActiveRecord::NoDatabaseError
  ActiveRecord::Tasks::DatabaseTasks.create_current
end
ActiveRecord::Tasks::DatabaseTasks.migrate

FactoryBot.definition_file_paths = [Rails.root.join("spec/factories").to_s]
FactoryBot.find_definitions

RSpec.configure do |config|
  config.use_transactional_fixtures = true
  config.infer_spec_type_from_file_location!
  config.filter_rails_from_backtrace!

  config.include FactoryBot::Syntax::Methods
  config.include RequestHelpers, type: :request
  config.include ActiveSupport::Testing::TimeHelpers

  # The login rate limit counts in Rails.cache: start every example from zero.
  config.before { Rails.cache.clear }
end
