from __future__ import annotations

from django.urls import path

from xinyong.checks import views

app_name = "checks"
urlpatterns = [
    path("checks/batch/", views.batches, name="batches"),
    path("checks/batch/<int:batch_id>/", views.batch, name="batch"),
    path("checks/batch/<int:batch_id>/sheet.xlsx", views.download, {"what": "sheet"}, name="sheet"),
    path("checks/batch/<int:batch_id>/statement.pdf", views.download, {"what": "pdf"}, name="statement"),
    path("checks/verify/", views.verify, name="verify"),
    path("workspace/assists/", views.assist_inbox, name="assists"),
    path("workspace/assists/<int:request_id>/", views.assist, name="assist"),
]
