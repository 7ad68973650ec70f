require "rails_helper"
require "rake"

RSpec.describe "users:make_admin" do
  before(:all) { Rails.application.load_tasks if Rake::Task.tasks.empty? }

  let(:task) { Rake::Task["users:make_admin"] }

  after { task.reenable }

  it "makes a registered user an admin" do
    user = create(:user, email: "boss@example.com")
    expect { task.invoke("Boss@Example.com") }.to output(/boss@example.com is now an admin/).to_stdout
    expect(user.reload.is_admin).to be(true)
  end

  it "stops with a message for an unknown email or none" do
    expect { task.invoke("nobody@example.com") }.to raise_error(SystemExit).and output(/No user/).to_stderr
    task.reenable
    expect { task.invoke }.to raise_error(SystemExit).and output(/Usage/).to_stderr
  end
end
