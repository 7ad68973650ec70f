require "rails_helper"

RSpec.describe ApplicationCable::Connection, type: :channel do
  let(:user) { create(:user) }

  it "connects with a valid token in the query string" do
    connect "/cable", params: { token: JsonWebToken.encode(sub: user.id) }
    expect(connection.current_user).to eq(user)
  end

  it "connects with a valid Bearer token header" do
    connect "/cable", headers: { "Authorization" => "Bearer #{JsonWebToken.encode(sub: user.id)}" }
    expect(connection.current_user).to eq(user)
  end

  it "rejects a connection without a token" do
    expect { connect "/cable" }.to have_rejected_connection
  end

  it "rejects a forged token" do
    token = JWT.encode({ sub: user.id, exp: 1.hour.from_now.to_i }, "not-the-key", "HS256")
    expect { connect "/cable", params: { token: token } }.to have_rejected_connection
  end

  it "rejects an expired token" do
    token = JsonWebToken.encode({ sub: user.id }, -1.minute)
    expect { connect "/cable", params: { token: token } }.to have_rejected_connection
  end

  it "rejects the token of a deleted user" do
    token = JsonWebToken.encode(sub: user.id)
    user.destroy!
    expect { connect "/cable", params: { token: token } }.to have_rejected_connection
  end
end
