from __future__ import annotations

from django.urls import path

from xinyong.quality import views

app_name = "quality"
urlpatterns = [
    path("centre/quality/", views.centre, name="centre"),
    path("centre/quality/notice.<str:fmt>", views.centre_notice, name="notice"),
    path("centre/quality/providers/<str:code>/", views.centre_provider, name="provider"),
    path("centre/quality/providers/<str:code>/samples/", views.samples, name="samples"),
    path("centre/quality/providers/<str:code>/samples/draw/", views.sample_draw, name="sample-draw"),
    path("centre/quality/samples/<int:item_id>/review/", views.sample_review, name="sample-review"),
    path("centre/quality/codes/", views.code_issues, name="codes"),
    path("centre/quality/codes/<int:issue_id>/", views.code_judge, name="code-judge"),
    path("workspace/quality/", views.workspace, name="workspace"),
    path("workspace/quality/declare/", views.declare, name="declare"),
]
