# An account that logs in with email and password (stored as a bcrypt digest).
class User < ApplicationRecord
  has_secure_password

  before_validation { self.email = email.to_s.strip.downcase.presence }

  validates :email, presence: true, length: { maximum: 255 },
                    format: { with: URI::MailTo::EMAIL_REGEXP },
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
