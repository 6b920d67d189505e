"""Sign-in and sign-out, mounted at ``accounts/``."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from xinyong.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/totp/", views.totp_view, name="totp"),
    path("login/totp/setup/", views.totp_setup_view, name="totp-setup"),
    path("login/backup/", views.backup_view, name="backup"),
    path("backup-codes/", views.backup_codes_view, name="backup-codes"),
    # Django's LogoutView accepts POST only (405 otherwise), so a link or an image cannot sign anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
