from __future__ import annotations

from django.urls import path

from xinyong.commitments import views

app_name = "commitments"
urlpatterns = [
    path("workspace/commitments/", views.workspace, name="workspace"),
    path("workspace/commitments/new/", views.new, name="new"),
    path("workspace/commitments/eligibility/", views.eligibility, name="eligibility"),
    path("workspace/commitments/<int:commitment_id>/", views.detail, name="detail"),
    path("workspace/commitments/<int:commitment_id>/fulfilment/", views.fulfilment, name="fulfilment"),
    path("workspace/commitments/<int:commitment_id>/breach/", views.breach, name="breach"),
    path("account/commitments/", views.mine, name="mine"),
]
