namespace :users do
  desc "Make an existing user an admin: bin/rails \"users:make_admin[EMAIL]\""
  task :make_admin, [:email] => :environment do |_task, args|
    email = args[:email].to_s.strip.downcase
    abort("Usage: bin/rails \"users:make_admin[EMAIL]\"") if email.empty?

    user = User.find_by(email: email) || abort("No user with the email #{email}: register first (POST /auth/register)")
    user.update!(is_admin: true)
    puts "#{user.email} is now an admin"
  end
end
