"""gunicorn settings (the container's server): `gunicorn --config gunicorn.conf.py config.wsgi`.

HOST, PORT, WEB_CONCURRENCY and RUN_MIGRATIONS come from the environment.
"""

import os

from gunicorn.arbiter import Arbiter

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# The app logs each request itself, as JSON with its request id (core.middleware).
accesslog = None
# No control socket: nothing in the container uses it.
control_socket_disable = True
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}


def on_starting(server: Arbiter) -> None:
    """Apply the migrations once, in the master process, before the workers start."""
    if os.environ.get("RUN_MIGRATIONS", "").lower() not in {"1", "true", "yes"}:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    server.log.info("applying migrations")
    call_command("migrate", interactive=False, verbosity=0)
    connections.close_all()  # the workers open their own connections
    server.log.info("migrations applied")
