from __future__ import annotations

from django.urls import path

from xinyong.supervision import views

app_name = "supervision"
urlpatterns = [
    path("supervision/warnings/", views.warnings, name="warnings"),
    path("supervision/warnings/<int:warning_id>/", views.warning, name="warning"),
    path(
        "supervision/warnings/<int:warning_id>/interviews/",
        views.interview_on_warning,
        name="interview-on-warning",
    ),
    path(
        "supervision/records/<int:record_id>/interview/",
        views.interview_on_record,
        name="interview-on-record",
    ),
    path("supervision/interviews/<int:interview_id>/", views.interview, name="interview"),
    path("supervision/interviews/<int:interview_id>/outcome/", views.outcome, name="outcome"),
    path("supervision/ledger/", views.ledger, name="ledger"),
    path("account/warnings/", views.mine, name="my-warnings"),
]
