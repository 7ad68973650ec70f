# An account that logs in with email and password (stored as a bcrypt digest).
class User < ApplicationRecord
  EMAIL_PATTERN = "^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*$".freeze
  # What POST /auth/register accepts (FieldRules; the OpenAPI document shows it).
  # Passwords are printable ASCII: bcrypt reads at most 72 bytes.
  FIELDS = {
    email: { type: :string, required: true, min_length: 3, max_length: 255, pattern: EMAIL_PATTERN },
    password: { type: :string, required: true, min_length: 8, max_length: 72, pattern: "^[ -~]*$" },
    name: { type: :string, required: false, min_length: 0, max_length: 100 }
  }.freeze
  # What POST /auth/login accepts: any strings (a wrong pair is a 401).
  LOGIN_FIELDS = {
    email: { type: :string, required: true, min_length: 0, max_length: 255 },
    password: { type: :string, required: true, min_length: 0, max_length: 1000 }
  }.freeze

  has_secure_password

  before_validation { self.email = email.to_s.downcase.presence }

  validates :email, presence: true, length: { maximum: 255 },
                    format: { with: FieldRules.regexp(EMAIL_PATTERN) },
                    uniqueness: { case_sensitive: false }
  validates :password, length: { minimum: 8, maximum: 72 }, allow_nil: true
  validates :name, length: { maximum: 100 }

  # Only the owner of a record, or an admin, may change or delete it.
  def may_change?(record)
    is_admin || (record.owner_id.present? && record.owner_id == id)
  end

  def as_json_api
    { id: id, email: email, name: name, is_admin: is_admin, created_at: created_at }
  end
end
