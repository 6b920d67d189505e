from __future__ import annotations

from django.urls import path

from xinyong.portal import account_views, audit_views, notice_views, notifications, public_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("workspace/", views.workspace, name="workspace"),
    path("workspace/batches/<int:batch_id>/", views.batch_detail, name="batch"),
    path(
        "workspace/batches/<int:batch_id>/rejections.<str:fmt>",
        views.batch_rejections,
        name="batch-rejections",
    ),
    path("workspace/code-conflicts/", views.code_conflicts, name="code-conflicts"),
    path("workspace/templates/<slug:kind>.xlsx", views.kind_template, name="kind-template"),
    path("account/", account_views.account, name="account"),
    path("account/verify/", account_views.verify, name="verify"),
    path("account/notifications/", notifications.inbox, name="notifications"),
    path("account/notifications/read/", notifications.read, name="notifications-read"),
    path("account/grants/", account_views.grant_create, name="grant-create"),
    path("account/grants/<int:grant_id>/revoke/", account_views.grant_revoke, name="grant-revoke"),
    path("query/", account_views.query, name="query"),
    path("search/", public_views.search_page, name="search"),
    path("s/<str:code>/", public_views.subject, name="subject"),
    path("publicity/<str:which>/", public_views.publicity, name="publicity"),
    path("notices/<str:kind>/", notice_views.column, name="notices"),
    path("notices/item/<int:notice_id>/", notice_views.notice, name="notice"),
    path("centre/audit/", audit_views.audit_home, name="audit"),
    path("centre/audit/export/", audit_views.audit_export, name="audit-export"),
]
