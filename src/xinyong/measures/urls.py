from __future__ import annotations

from django.urls import path

from xinyong.measures import views

app_name = "measures"
urlpatterns = [
    path("checks/", views.check_page, name="check"),
    path("checks/<int:check_id>/", views.check_detail, name="check_detail"),
    path("checks/<int:check_id>/feedback/", views.feedback, name="feedback"),
    path("centre/measures/statistics/", views.statistics, name="statistics"),
]
