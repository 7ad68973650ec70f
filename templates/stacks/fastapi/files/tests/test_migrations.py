from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from app.db import Base


def _ours(name: str | None, type_: str, _parent: object) -> bool:
    # Other tables in a shared test database are none of our business.
    return type_ != "table" or name in Base.metadata.tables


def test_migrations_match_the_models(engine: Engine) -> None:
    """`alembic upgrade head` (run by the engine fixture) builds exactly the models' schema."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": _ours}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_and_upgrade_again(engine: Engine, alembic_config: Config) -> None:
    command.downgrade(alembic_config, "base")
    assert not set(inspect(engine).get_table_names()) & set(Base.metadata.tables)
    command.upgrade(alembic_config, "head")
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
