from __future__ import annotations

from django.urls import path

from xinyong.disputes import views

app_name = "disputes"
urlpatterns = [
    # the subject
    path("account/objections/", views.mine, name="mine"),
    path("account/objections/new/<int:record_id>/", views.file, name="file"),
    path("account/objections/omission/", views.file_omission, name="file_omission"),
    # every party to a case
    path("objections/<str:number>/", views.case, name="case"),
    path("objections/<str:number>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    # the centre
    path("objections/<str:number>/forward/", views.forward, name="forward"),
    path("objections/<str:number>/close/", views.close, name="close"),
    path("centre/objections/", views.queue, name="queue"),
    path("centre/objections/overdue/", views.overdue, name="overdue"),
    path("centre/upstream/", views.upstream, name="upstream"),
    # the provider
    path("workspace/objections/", views.inbox, name="inbox"),
    path("workspace/objections/<str:number>/answer/", views.answer, name="answer"),
]
