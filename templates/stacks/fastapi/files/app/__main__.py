"""`python -m app`: serve the app (the container's command), on $PORT.

`python -m app make-admin EMAIL` makes a registered user an admin: admins may change
and delete every row, not only their own.
"""

import sys
from pathlib import Path

import uvicorn
from alembic.command import upgrade
from alembic.config import Config
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Settings, get_settings
from app.db import make_engine
from app.log import configure_logging
from app.models import User

USAGE = "usage: python -m app [make-admin EMAIL]"


def serve(settings: Settings) -> None:
    configure_logging(settings.log_level)
    if settings.run_migrations:
        config = Config(str(Path.cwd() / "alembic.ini"))
        config.attributes["configure_logging"] = False
        upgrade(config, "head")
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        proxy_headers=True,
        access_log=False,
    )


def make_admin(settings: Settings, email: str) -> int:
    """Give the user with this email the admin role; 1 when there is no such user."""
    engine = make_engine(settings.sqlalchemy_url)
    try:
        with Session(engine) as session:
            user = session.scalar(select(User).where(User.email == email.strip().lower()))
            if user is None:
                print(
                    f"No user has the email {email!r}: register first (POST /auth/register).",
                    file=sys.stderr,
                )
                return 1
            user.is_admin = True
            session.commit()
            print(f"{user.email} is now an admin.")
            return 0
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        serve(get_settings())
        return 0
    if args[0] == "make-admin" and len(args) == 2:
        return make_admin(get_settings(), args[1])
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
