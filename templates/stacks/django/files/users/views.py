from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from core.openapi import BODY, errors
from core.throttling import AuthRateThrottle
from users.models import User
from users.serializers import (
    AccessTokenSerializer,
    LoginRequestSerializer,
    LoginSerializer,
    RefreshSerializer,
    RegisterSerializer,
    TokensSerializer,
    UserSerializer,
)


@extend_schema(
    tags=["auth"],
    responses={
        201: UserSerializer,
        **errors(*BODY, 409, 429, s409="The email is taken"),
    },
)
class RegisterView(generics.CreateAPIView):
    """Create a user: `{"email", "password"}` (8 to 128 characters). The password is stored
    hashed. Rate limited per client address (AUTH_RATE_LIMIT, default 10/minute)."""

    serializer_class = RegisterSerializer
    authentication_classes = ()
    permission_classes = (permissions.AllowAny,)
    throttle_classes = (AuthRateThrottle,)
    throttle_scope = "register"


@extend_schema(
    tags=["auth"],
    request=LoginRequestSerializer,
    responses={
        200: TokensSerializer,
        **errors(*BODY, 401, 429, s401="Wrong email or password"),
    },
)
class LoginView(TokenObtainPairView):
    """Get an access token (and a refresh token) for `{"email", "password"}`.

    Rate limited per client address (AUTH_RATE_LIMIT, default 10/minute).
    """

    serializer_class = LoginSerializer
    authentication_classes = ()
    throttle_classes = (AuthRateThrottle,)
    throttle_scope = "login"


@extend_schema(
    tags=["auth"],
    request=RefreshSerializer,
    responses={
        200: AccessTokenSerializer,
        **errors(*BODY, 401, s401="The refresh token is not valid or has expired"),
    },
)
class RefreshView(TokenRefreshView):
    """Trade `{"refresh_token"}` for a new access token."""

    serializer_class = RefreshSerializer
    authentication_classes = ()


@extend_schema(
    tags=["auth"],
    responses={200: UserSerializer, **errors(401)},
)
class MeView(generics.RetrieveAPIView):
    """The current user (needs `Authorization: Bearer <access token>`), with `is_admin`."""

    serializer_class = UserSerializer
    permission_classes = (permissions.IsAuthenticated,)

    def get_object(self) -> User:
        return self.request.user  # type: ignore[return-value]
