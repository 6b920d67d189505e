from __future__ import annotations

from django.urls import path

from xinyong.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("account/evaluation/", views.mine, name="mine"),
    path("evaluation/<str:code>/", views.subject, name="subject"),
    path("centre/evaluation/", views.distribution, name="distribution"),
    path("workspace/spot-checks/", views.spot_checks, name="spot-checks"),
]
