from fastapi import APIRouter, Depends, status
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.db import SessionDep
from app.errors import AppError
from app.models import User
from app.openapi import errors
from app.schemas import Token, UserCreate, UserLogin, UserRead
from app.security import (
    CurrentUser,
    SettingsDep,
    create_access_token,
    hash_password,
    login_rate_limit,
    register_rate_limit,
    verify_password,
)

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    responses=errors(409, 429),
    dependencies=[Depends(register_rate_limit)],
)
def register(body: UserCreate, session: SessionDep) -> UserRead:
    user = User(email=body.email.lower(), hashed_password=hash_password(body.password))
    session.add(user)
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise AppError(409, "conflict", "A user with this email already exists") from exc
    session.refresh(user)
    return UserRead.model_validate(user)


@router.post("/login", responses=errors(401, 403, 429), dependencies=[Depends(login_rate_limit)])
def login(body: UserLogin, session: SessionDep, settings: SettingsDep) -> Token:
    user = session.scalar(select(User).where(User.email == body.email.lower()))
    if not verify_password(body.password, user.hashed_password if user else None):
        raise AppError(401, "invalid_credentials", "Incorrect email or password")
    assert user is not None  # noqa: S101 - verify_password fails without a user
    if not user.is_active:
        raise AppError(403, "inactive_user", "This account is disabled")
    token = create_access_token(settings, user.id)
    return Token(access_token=token, expires_in=settings.access_token_expire_minutes * 60)


@router.get("/me")
def me(user: CurrentUser) -> UserRead:
    return UserRead.model_validate(user)
