# Coverage: `bundle exec rspec` fails below 90% of the lines of app/ and lib/
# (coverage/index.html shows which lines no spec runs).
require "simplecov"
SimpleCov.start do
  track_files "{app,lib}/**/*.rb"
  add_filter %w[/spec/ /config/ /db/ /vendor/]
  minimum_coverage line: 90
end

RSpec.configure do |config|
  config.expect_with :rspec do |expectations|
    expectations.include_chain_clauses_in_custom_matcher_descriptions = true
  end

  config.mock_with :rspec do |mocks|
    mocks.verify_partial_doubles = true
  end

  config.shared_context_metadata_behavior = :apply_to_host_groups
  config.filter_run_when_matching :focus
  config.disable_monkey_patching!
  config.order = :random
  Kernel.srand config.seed
end
