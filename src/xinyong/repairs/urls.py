from __future__ import annotations

from django.urls import path

from xinyong.repairs import views

app_name = "repairs"
urlpatterns = [
    path("repairs/", views.home, name="home"),
    path("repairs/records/<int:record_id>/", views.apply, name="apply"),
    path("repairs/<str:number>/", views.case, name="case"),
    path("repairs/<str:number>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("repairs/<str:number>/<str:verb>/", views.decide, name="decide"),
    path("centre/repairs/city/", views.city_queue, name="city-queue"),
    path("centre/repairs/province/", views.provincial_queue, name="provincial-queue"),
]
