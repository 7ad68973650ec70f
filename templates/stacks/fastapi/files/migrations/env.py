from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from app import models  # noqa: F401 - registers the tables on Base.metadata
from app.config import get_settings
from app.db import Base

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _url() -> str:
    # Tests pass their database here; otherwise DATABASE_URL (or the SQLite default).
    return config.attributes.get("database_url") or get_settings().sqlalchemy_url


def _configure(connection: Connection | None = None, **kwargs: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=True,  # lets SQLite alter tables
        **kwargs,
    )


def run_migrations_offline() -> None:
    _configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection") or create_engine(
        _url(), poolclass=pool.NullPool
    )
    if isinstance(connectable, Connection):
        _configure(connectable)
        with context.begin_transaction():
            context.run_migrations()
        return
    with connectable.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
