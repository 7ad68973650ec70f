"""What every app shares: the error format, health checks, logging, request ids, pagination."""
