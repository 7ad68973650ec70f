from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from rest_framework import serializers

from core.errors import Conflict
from users.models import User

DUPLICATE_EMAIL = "A user with this email already exists"


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("id", "email", "is_active", "date_joined")
        read_only_fields = fields


class RegisterSerializer(serializers.ModelSerializer):
    password = serializers.CharField(
        write_only=True,
        min_length=8,
        max_length=128,
        trim_whitespace=False,
        style={"input_type": "password"},
    )

    class Meta:
        model = User
        fields = ("id", "email", "password", "is_active", "date_joined")
        read_only_fields = ("id", "is_active", "date_joined")
        # A taken email is a 409 Conflict (see create), not a validation error.
        extra_kwargs: dict[str, dict[str, Any]] = {"email": {"validators": []}}  # noqa: RUF012

    def validate_email(self, value: str) -> str:
        return value.strip().lower()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Django's password validators: length, common passwords, all digits, like the email.
        try:
            password_validation.validate_password(attrs["password"], User(email=attrs["email"]))
        except DjangoValidationError as exc:
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
