"""`python -m app`: serve the app (the container's command), on $PORT."""

from pathlib import Path

import uvicorn

from app.config import get_settings
from app.log import configure_logging


def main() -> None:
    settings = get_settings()
    configure_logging(settings.log_level)
    if settings.run_migrations:
        from alembic import command
        from alembic.config import Config

        config = Config(str(Path.cwd() / "alembic.ini"))
        config.attributes["configure_logging"] = False
        command.upgrade(config, "head")
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        proxy_headers=True,
        access_log=False,
    )


if __name__ == "__main__":
    main()
