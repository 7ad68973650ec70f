# GET /openapi.json: the OpenAPI 3.1 document (app/services/openapi_document.rb).
# Off in production (404) unless API_DOCS=true.
class OpenapiController < ApplicationController
  def self.enabled?
    !Rails.env.production? || ENV["API_DOCS"] == "true"
  end

  def show
    unless self.class.enabled?
      return render_error(404, "not_found", "The API document is off in production; set API_DOCS=true")
    end

    render json: OpenapiDocument.build
  end
end
