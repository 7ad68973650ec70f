"""The service's application package (see app.main.create_app)."""
