"""Users and authentication: register, log in (JWT), the current user."""
