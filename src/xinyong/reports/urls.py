from __future__ import annotations

from django.urls import path

from xinyong.reports import views

app_name = "reports"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("reports/", views.reports, name="list"),
    path("reports/confirmations/", views.confirmations, name="confirmations"),
    path("reports/confirmations/<int:confirmation_id>/", views.answer, name="answer"),
    path("reports/financial-list/", views.financial_list, name="financial_list"),
    path(
        "reports/financial-list/<str:code>/remove", views.financial_list_remove, name="financial_list_remove"
    ),
    path("reports/<str:number>/", views.detail, name="detail"),
    path("reports/<str:number>/pdf", views.pdf, name="pdf"),
]
