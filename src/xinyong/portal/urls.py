from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from xinyong.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="portal/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("workspace/", views.workspace, name="workspace"),
    path("workspace/batches/<int:batch_id>/", views.batch_detail, name="batch"),
    path(
        "workspace/batches/<int:batch_id>/rejections.<str:fmt>",
        views.batch_rejections,
        name="batch-rejections",
    ),
    path("workspace/code-conflicts/", views.code_conflicts, name="code-conflicts"),
]
