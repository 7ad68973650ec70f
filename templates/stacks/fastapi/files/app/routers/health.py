from fastapi import APIRouter, Request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.errors import AppError

router = APIRouter(prefix="/health", tags=["health"])


@router.get("/live")
def live() -> dict[str, str]:
    """The process is up (no dependency is checked)."""
    return {"status": "ok"}


@router.get("/ready")
def ready(request: Request) -> dict[str, object]:
    """The service can take traffic: the database answers."""
    try:
        with request.app.state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise AppError(
            503, "not_ready", "The database is not reachable", {"database": "unavailable"}
        ) from exc
    return {"status": "ok", "checks": {"database": "ok"}}
