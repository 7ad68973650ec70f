from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions
from rest_framework.throttling import ScopedRateThrottle
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from core.errors import ErrorSerializer
from users.models import User
from users.serializers import RegisterSerializer, UserSerializer


@extend_schema(
    tags=["auth"],
    responses={
        201: UserSerializer,
        400: OpenApiResponse(ErrorSerializer, "Invalid email or weak password"),
        409: OpenApiResponse(ErrorSerializer, "The email is taken"),
    },
)
class RegisterView(generics.CreateAPIView):
    """Create a user: `{"email", "password"}`. The password is stored hashed."""

    serializer_class = RegisterSerializer
    authentication_classes = ()
    permission_classes = (permissions.AllowAny,)


@extend_schema(
    tags=["auth"],
    responses={
        401: OpenApiResponse(ErrorSerializer, "Wrong email or password"),
        429: OpenApiResponse(ErrorSerializer, "Too many attempts"),
    },
)
class LoginView(TokenObtainPairView):
    """Get an access token (and a refresh token) for `{"email", "password"}`.

    Rate limited per client address (LOGIN_RATE, default 5/minute).
    """

    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "login"


@extend_schema(tags=["auth"])
class RefreshView(TokenRefreshView):
    """Trade a refresh token for a new access token."""


@extend_schema(
    tags=["auth"],
    responses={200: UserSerializer, 401: OpenApiResponse(ErrorSerializer, "No valid token")},
)
class MeView(generics.RetrieveAPIView):
    """The current user (needs `Authorization: Bearer <access token>`)."""

    serializer_class = UserSerializer
    permission_classes = (permissions.IsAuthenticated,)

    def get_object(self) -> User:
        return self.request.user  # type: ignore[return-value]
