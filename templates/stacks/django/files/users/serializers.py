from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from rest_framework import serializers
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer

from core.errors import Conflict
from core.fields import StrictCharField, StrictEmailField
from users.models import User

DUPLICATE_EMAIL = "A user with this email already exists"
TOKEN_TYPE = "bearer"  # noqa: S105 - the OAuth token type, not a secret


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("id", "email", "is_active", "is_admin", "date_joined")
        read_only_fields = fields


class RegisterSerializer(serializers.ModelSerializer):
    email = StrictEmailField(max_length=254)
    password = StrictCharField(
        write_only=True,
        min_length=8,
        max_length=128,
        style={"input_type": "password"},
    )

    class Meta:
        model = User
        fields = ("id", "email", "password", "is_active", "is_admin", "date_joined")
        read_only_fields = ("id", "is_active", "is_admin", "date_joined")

    def validate_email(self, value: str) -> str:
        return value.strip().lower()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Django's password validators (settings.AUTH_PASSWORD_VALIDATORS).
        try:
            password_validation.validate_password(attrs["password"], User(email=attrs["email"]))
        except DjangoValidationError as exc:  # pragma: no cover - the field checks the length
            raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        return attrs

    def create(self, validated_data: dict[str, Any]) -> User:
        if User.objects.filter(email=validated_data["email"]).exists():
            raise Conflict(DUPLICATE_EMAIL)
        try:
            with transaction.atomic():
                return User.objects.create_user(**validated_data)
        except IntegrityError as exc:  # registered at the same moment by another request
            raise Conflict(DUPLICATE_EMAIL) from exc


class LoginSerializer(TokenObtainPairSerializer):
    """`{"email", "password"}` in; `{"access_token", "refresh_token", "token_type"}` out."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        tokens = super().validate(attrs)
        return {
            "access_token": tokens["access"],
            "refresh_token": tokens["refresh"],
            "token_type": TOKEN_TYPE,
        }


class RefreshSerializer(TokenRefreshSerializer):
    """`{"refresh_token"}` in; `{"access_token", "token_type"}` out."""

    refresh = None  # type: ignore[assignment]
    refresh_token = StrictCharField(write_only=True, max_length=4096)

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        tokens = super().validate({"refresh": attrs["refresh_token"]})
        return {"access_token": tokens["access"], "token_type": TOKEN_TYPE}


class TokensSerializer(serializers.Serializer):
    """The answer of POST /auth/login (for the OpenAPI document)."""

    access_token = serializers.CharField(help_text="Send it as `Authorization: Bearer <token>`")
    refresh_token = serializers.CharField(help_text="Trade it for a new access token")
    token_type = serializers.ChoiceField([TOKEN_TYPE])


class AccessTokenSerializer(serializers.Serializer):
    """The answer of POST /auth/refresh (for the OpenAPI document)."""

    access_token = serializers.CharField()
    token_type = serializers.ChoiceField([TOKEN_TYPE])


class LoginRequestSerializer(serializers.Serializer):
    """The body of POST /auth/login (for the OpenAPI document)."""

    email = StrictCharField(max_length=254)
    password = StrictCharField(max_length=128)
