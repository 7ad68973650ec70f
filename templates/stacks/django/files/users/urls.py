from django.urls import path

from users import views

urlpatterns = [
    path("register", views.RegisterView.as_view(), name="register"),
    path("login", views.LoginView.as_view(), name="login"),
    path("refresh", views.RefreshView.as_view(), name="token-refresh"),
    path("me", views.MeView.as_view(), name="me"),
]
