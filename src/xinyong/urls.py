from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from xinyong.collection.api import router as collection_router
from xinyong.core.api import api
from xinyong.core.views import robots_txt
from xinyong.disclosure.api import router as disclosure_router
from xinyong.subjects.api import router as subjects_router

api.add_router("/", collection_router)
api.add_router("/", subjects_router)
api.add_router("/", disclosure_router)

urlpatterns = [
    path("robots.txt", robots_txt, name="robots"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("xinyong.accounts.urls")),
    path("", include("xinyong.portal.urls")),
]
