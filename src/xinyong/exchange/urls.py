from __future__ import annotations

from django.urls import path

from xinyong.exchange import views

app_name = "exchange"
urlpatterns = [
    path("centre/exchange/", views.reconciliation, name="reconciliation"),
    path("centre/exchange/failed/", views.dead_letters, name="dead_letters"),
    path("centre/exchange/failed/<int:delivery_id>/retry/", views.retry, name="retry"),
    path("account/watches/", views.watches, name="watches"),
]
