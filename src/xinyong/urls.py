from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from xinyong.checks.api import router as checks_router
from xinyong.collection.api import router as collection_router
from xinyong.commitments.api import router as commitments_router
from xinyong.core.api import api
from xinyong.core.views import robots_txt
from xinyong.disclosure.api import router as disclosure_router
from xinyong.disputes.api import router as disputes_router
from xinyong.evaluation.api import router as evaluation_router
from xinyong.exchange.api import router as exchange_router
from xinyong.exchange.api import watch_router
from xinyong.measures.api import router as measures_router
from xinyong.portal.jobs_views import job_health
from xinyong.quality.api import router as quality_router
from xinyong.repairs.api import router as repairs_router
from xinyong.reports.api import router as reports_router
from xinyong.subjects.api import router as subjects_router
from xinyong.supervision.api import router as supervision_router

api.add_router("/", collection_router)
api.add_router("/", commitments_router)
api.add_router("/", subjects_router)
api.add_router("/", disclosure_router)
api.add_router("/", evaluation_router)
api.add_router("/", disputes_router)
api.add_router("/", repairs_router)
api.add_router("/", reports_router)
api.add_router("/", quality_router)
api.add_router("/", supervision_router)
api.add_router("/", measures_router)
api.add_router("/", checks_router)
api.add_router("/", exchange_router)
api.add_router("/", watch_router)

urlpatterns = [
    path("robots.txt", robots_txt, name="robots"),
    path("centre/jobs/", job_health, name="job-health"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("xinyong.accounts.urls")),
    path("", include("xinyong.reports.urls")),
    path("", include("xinyong.disputes.urls")),
    path("", include("xinyong.repairs.urls")),
    path("", include("xinyong.commitments.urls")),
    path("", include("xinyong.quality.urls")),
    path("", include("xinyong.measures.urls")),
    path("", include("xinyong.checks.urls")),
    path("", include("xinyong.evaluation.urls")),
    path("", include("xinyong.supervision.urls")),
    path("", include("xinyong.exchange.urls")),
    path("", include("xinyong.portal.urls")),
]
