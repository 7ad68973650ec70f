"""`app-worker`: the background-job worker, `manage.py rqworker <JOBS_QUEUE>` (django-rq).

Needs REDIS_URL (compose runs it as the service's -worker). Options pass through to
rqworker, e.g. `app-worker --burst` (stop when the queue is empty) or `--verbosity 2`.
Stop it with SIGTERM or Ctrl-C: it finishes the current job first.
"""

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    if not settings.REDIS_URL:
        sys.exit("REDIS_URL is not set: without Redis, jobs run inline in the app")
    execute_from_command_line([sys.argv[0], "rqworker", *sys.argv[1:], settings.JOBS_QUEUE])


if __name__ == "__main__":
    main()
