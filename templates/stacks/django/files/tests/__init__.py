"""The service's tests (pytest + pytest-django)."""
