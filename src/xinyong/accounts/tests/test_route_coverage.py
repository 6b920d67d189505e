"""No page or endpoint escapes the permission matrix.

Walks every URL pattern Django resolves (the admin's included) and every operation of the API's
routers, and fails for one that is neither reached by a route of the permission matrix
(``test_permission_matrix.ROUTES``) nor listed below in ``EXEMPT`` with the reason its access is
checked elsewhere. docs/recipes.md ("Add a page or an API endpoint") says which to choose.

A route is named as the resolver spells it: a page by its pattern (``/s/<str:code>/``, any method),
an API operation by its method and pattern (``POST /api/v1/objections/<number>``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern
from ninja import Router
from ninja.utils import normalize_path, replace_path_param_notation

from xinyong.accounts.admin_base import AuditedAdmin, ReadOnlyAdmin
from xinyong.accounts.tests.test_permission_matrix import ROUTES
from xinyong.core.api import api

MATRIX = "src/xinyong/accounts/tests/test_permission_matrix.py"
HERE = "src/xinyong/accounts/tests/test_route_coverage.py"


@dataclass(frozen=True)
class Exempt:
    """A route the matrix does not request, and why its access is nonetheless checked."""

    route: str  # "/pattern/" for a page, "METHOD /api/v1/pattern" for an API operation
    reason: str


# Sign-in, static or language plumbing, and object pages and POST steps whose access rule is
# "the case's own parties" or a state machine's actor check: the matrix requests each route once per
# persona with GET and no object, so these are proven by the tests named in their reasons.
EXEMPT = [
    # Plumbing: nothing to protect.
    Exempt("/i18n/setlang/", "Django's language switch: sets a cookie, reads no data"),
    Exempt("/api/v1/", "the API's root: answers 404, the API's pages are its operations"),
    # Sign-in itself (everyone must reach it; throttling is in accounts/tests/test_login_security.py).
    Exempt("/accounts/login/", "the sign-in page"),
    Exempt("/accounts/login/totp/", "second sign-in step: only a session with a pending password (test_login_security)"),
    Exempt("/accounts/login/totp/setup/", "authenticator enrolment: only a session with a pending password (test_login_security)"),
    Exempt("/accounts/login/backup/", "second sign-in step with a backup code: only a session with a pending password (test_backup_codes)"),
    Exempt("/accounts/logout/", "sign-out, POST only"),
    Exempt("/admin/login/", "the admin's own sign-in: redirects to the portal's (accounts.admin_base.CentreAdminSite.login)"),
    Exempt("/admin/logout/", "the admin's own sign-out"),
    Exempt("/admin/password_change/", "the admin's own password change: signed-in centre staff (admin site permission)"),
    Exempt("/admin/password_change/done/", "the admin's own password change"),
    Exempt("/admin/jsi18n/", "the admin's translation catalogue: static text behind the admin site permission"),
    Exempt("/admin/autocomplete/", "the admin's autocomplete: answers only for models the user may view"),
    Exempt("/admin/r/<path:content_type_id>/<path:object_id>/", "the admin's 'view on site' redirect"),
    Exempt("/admin/(catch_all_view)", "the admin's catch-all: 404, or the same path with a slash added"),
    Exempt("/admin/(app_list)", "an admin app index: lists only the models the user may view"),
    # POST steps of the portal (the form on a page of the matrix posts here).
    Exempt("/account/notifications/read/", "marks the signed-in user's own notifications read (portal/tests/test_notifications.py)"),
    Exempt("/account/grants/", "POST: a verified subject grants a querier (MANAGE_OWN_GRANTS, accounts/tests/test_grants_and_queries.py)"),
    Exempt("/account/grants/<int:grant_id>/revoke/", "POST: the granting subject revokes (accounts/tests/test_grants_and_queries.py)"),
    # Reports: a report is its requester's or its subject's (reports/tests/test_reports_pages.py).
    Exempt("/reports/<str:number>/", "a report: its requester or verified subject, else 404 (reports tests)"),
    Exempt("/reports/<str:number>/pdf", "a report's PDF: its requester or verified subject, else 404 (reports tests)"),
    Exempt("/reports/confirmations/<int:confirmation_id>/", "POST: the confirming department's staff (CONFIRM_REPORT_PART, reports tests)"),
    Exempt("/reports/financial-list/<str:code>/remove", "POST: the financial bureau (MANAGE_FINANCIAL_LIST, reports tests)"),
    Exempt("POST /api/v1/reports", "applies for a report: signed-in accounts, the edition's own rules (reports/tests/test_api.py)"),
    Exempt("POST /api/v1/reports/verify", "public verification by upload: the PDF itself is the secret"),
    Exempt("POST /api/v1/reports/financial-list", "the financial bureau (MANAGE_FINANCIAL_LIST, reports tests)"),
    Exempt("DELETE /api/v1/reports/financial-list/<code>", "the financial bureau (MANAGE_FINANCIAL_LIST, reports tests)"),
    Exempt("GET /api/v1/reports/<number>", "a report: its requester or verified subject, else 404 (reports tests)"),
    Exempt("GET /api/v1/reports/<number>/pdf", "a report's PDF: its requester or verified subject, else 404 (reports tests)"),
    # Objections: the case's subject, the record's provider, the objection handlers (disputes/tests).
    Exempt("/account/objections/new/<int:record_id>/", "files an objection to one's own record: FILE_OBJECTION and owner (disputes tests)"),
    Exempt("/account/objections/omission/", "files an objection for an omission: FILE_OBJECTION (disputes tests)"),
    Exempt("/objections/<str:number>/", "a case page: its parties only, else 404 (disputes tests)"),
    Exempt("/objections/<str:number>/attachments/<int:attachment_id>/", "an evidence file: the case's parties only (disputes tests)"),
    Exempt("/objections/<str:number>/forward/", "POST step: the state machine's actor check (disputes tests)"),
    Exempt("/objections/<str:number>/close/", "POST step: the state machine's actor check (disputes tests)"),
    Exempt("/workspace/objections/<str:number>/answer/", "POST step: the record's provider (disputes tests)"),
    Exempt("POST /api/v1/objections", "files an objection: FILE_OBJECTION and owner (disputes tests)"),
    Exempt("POST /api/v1/objections/omissions", "files an objection for an omission: FILE_OBJECTION (disputes tests)"),
    Exempt("GET /api/v1/objections/<number>", "a case: its parties only, else 404 (disputes tests)"),
    # Repairs (repairs/tests).
    Exempt("/repairs/records/<int:record_id>/", "applies for one's own record: REPAIRS_APPLY and owner (repairs tests)"),
    Exempt("/repairs/<str:number>/", "a case page: the applicant and the reviewers, else 404 (repairs tests)"),
    Exempt("/repairs/<str:number>/attachments/<int:attachment_id>/", "an evidence file: the case's parties only (repairs tests)"),
    Exempt("/repairs/<str:number>/<str:verb>/", "POST step: the state machine's actor check (repairs tests)"),
    Exempt("GET /api/v1/repairs/eligibility", "a record's eligibility: the record's subject only (repairs tests)"),
    Exempt("POST /api/v1/repairs", "applies: REPAIRS_APPLY and owner (repairs tests)"),
    Exempt("GET /api/v1/repairs/<number>", "a case: the applicant and the reviewers, else 404 (repairs tests)"),
    # Commitments (commitments/tests).
    Exempt("/workspace/commitments/<int:commitment_id>/", "a commitment: the recording unit or provider only (commitments tests)"),
    Exempt("/workspace/commitments/<int:commitment_id>/fulfilment/", "POST step: the recording unit or provider (commitments tests)"),
    Exempt("/workspace/commitments/<int:commitment_id>/breach/", "POST step: the recording unit or provider (commitments tests)"),
    Exempt("POST /api/v1/commitments", "records a commitment: RECORD_COMMITMENTS (commitments tests)"),
    Exempt("GET /api/v1/commitments/<commitment_id>", "a commitment: the recording unit or provider only (commitments tests)"),
    Exempt("POST /api/v1/commitments/<commitment_id>/fulfilment", "the recording unit or provider (commitments tests)"),
    Exempt("POST /api/v1/commitments/<commitment_id>/breach", "the recording unit or provider (commitments tests)"),
    # Django's own admins for models of libraries: plain Django model permissions, which no centre
    # role is given (only a superuser made with createsuperuser sees them).
    Exempt("/admin/auth/group/", "Django's group admin: model permissions only (superusers)"),
    Exempt("/admin/django_tasks_database/dbtaskresult/", "the task queue's admin: model permissions only (superusers)"),
    # Supervision (supervision/tests/test_permissions.py: every persona against every object route).
    Exempt("/supervision/warnings/<int:warning_id>/", "a risk warning: government units and the centre; a department only with a record in it (supervision tests)"),
    Exempt("/supervision/warnings/<int:warning_id>/interviews/", "records an interview: a department with a record in the warning (supervision tests)"),
    Exempt("/supervision/records/<int:record_id>/interview/", "records an interview on a record: the department that decided it (supervision tests)"),
    Exempt("/supervision/interviews/<int:interview_id>/", "an interview: government units and the centre, else 404 (supervision tests)"),
    Exempt("/supervision/interviews/<int:interview_id>/outcome/", "POST step: the interviewing department only (supervision tests)"),
    # Measures and checks (measures/tests/test_feedback.py, checks/tests).
    Exempt("/checks/<int:check_id>/", "a counter check: the officer who ran it, else 404 (measures tests)"),
    Exempt("/checks/<int:check_id>/feedback/", "POST step: the officer who ran the check (measures tests)"),
    Exempt("/checks/batch/<int:batch_id>/", "a batch check: its unit's officers, else 404 (checks tests)"),
    Exempt("/checks/batch/<int:batch_id>/sheet.xlsx", "a batch check's sheet: its unit's officers (checks tests)"),
    Exempt("/checks/batch/<int:batch_id>/statement.pdf", "a batch check's signed statement: its unit's officers (checks tests)"),
    Exempt("/workspace/assists/<int:request_id>/", "a 协查 request: the asked department answers (checks/tests/test_assists.py)"),
    # Quality (quality/tests).
    Exempt("/workspace/quality/declare/", "POST: a provider declares its own totals (DECLARE_TOTALS, quality tests)"),
    Exempt("/centre/quality/codes/<int:issue_id>/", "a 重错码 case: JUDGE_CODES, catalogue administrators (quality/tests/test_codes.py)"),
    Exempt("/centre/quality/providers/<str:code>/samples/draw/", "POST: draws a sample, SAMPLE_RECORDS (quality/tests/test_sampling.py)"),
    Exempt("/centre/quality/samples/<int:item_id>/review/", "POST: reviews a sampled record, SAMPLE_RECORDS (quality/tests/test_sampling.py)"),
    Exempt("POST /api/v1/warnings/<warning_id>/interviews", "a department with a record in the warning, by key (supervision/tests/test_permissions.py)"),
    Exempt("POST /api/v1/checks/<check_id>/feedback", "the officer who ran the check only (measures/tests/test_feedback.py)"),
    Exempt("POST /api/v1/batch-checks", "a unit officer with a legal purpose of the unit (checks/tests/test_batch_check.py)"),
    Exempt("GET /api/v1/batch-checks/<batch_id>", "a batch check: its unit only (checks/tests/test_batch_check.py)"),
    Exempt("GET /api/v1/batch-checks/<batch_id>/sheet.xlsx", "a batch check's sheet: its unit only (checks/tests/test_batch_check.py)"),
    Exempt("GET /api/v1/batch-checks/<batch_id>/statement.pdf", "a batch check's statement: its unit only (checks/tests/test_batch_check.py)"),
    Exempt("POST /api/v1/watches", "follows subjects: WATCH_SUBJECTS, the follower's own list (exchange/tests/test_watch.py)"),
    Exempt("DELETE /api/v1/watches/<code>", "unfollows: the follower's own list (exchange/tests/test_watch.py)"),
    Exempt("PUT /api/v1/webhook", "registers the follower's own webhook: WATCH_SUBJECTS (exchange/tests/test_watch.py)"),
    # Exchange and the portal.
    Exempt("/centre/exchange/failed/<int:delivery_id>/retry/", "POST: retries a dead letter, MANAGE_EXCHANGE (exchange/tests/test_upstream.py)"),
    Exempt("/notices/item/<int:notice_id>/", "a published notice: public, drafts 404 (portal/tests/test_home_pages.py)"),
]  # fmt: skip


@dataclass(frozen=True)
class Found:
    route: str  # as in Exempt.route
    view: str  # the dotted name of the view, to find it


def _pages(resolver: URLResolver, prefix: str = "/") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _pages(entry, prefix + str(entry.pattern))
        elif isinstance(entry.pattern, RegexPattern):
            # A regular expression may list what changes (the admin's app index lists the apps).
            yield f"{prefix}({entry.name or entry.callback.__name__})", entry
        else:
            yield prefix + str(entry.pattern), entry


def _admin_model(pattern: URLPattern) -> type | None:
    """The model of an admin model page (changelist, add, change…), else None."""
    model_admin = getattr(pattern.callback, "model_admin", None)
    if model_admin is None:  # a page a ModelAdmin adds (a user's password), behind admin_view()
        model_admin = getattr(getattr(pattern.callback, "__wrapped__", None), "__self__", None)
    return type(model_admin) if isinstance(model_admin, admin.ModelAdmin) else None


def _admin_model_route(route: str) -> str:
    """``/admin/<app>/<model>/``: one name for all the pages of a model's admin."""
    return "/".join(route.split("/")[:4]) + "/"


def _operations(router: Router, prefix: str) -> Iterator[tuple[str, str, str]]:
    """(method, path, view) of each operation of ``router`` and of the routers mounted in it."""
    # ``path_operations`` holds each path's operations; ``_routers`` the routers mounted in this one
    # (ninja keeps no public list of them).
    for path, path_view in router.path_operations.items():
        route = "/" + normalize_path(replace_path_param_notation(f"{prefix}/{path}")).strip("/")
        for operation in path_view.operations:
            view = f"{operation.view_func.__module__}.{operation.view_func.__qualname__}"
            for method in operation.methods:
                yield method, route, view
    for sub_prefix, sub_router, *_ in router._routers:
        yield from _operations(sub_router, f"{prefix}/{sub_prefix}")


def all_routes() -> list[Found]:
    """Every page (the admin's model pages grouped by model) and every API operation."""
    found: dict[str, Found] = {}
    for route, pattern in _pages(get_resolver()):
        callback = pattern.callback
        if callback.__module__ == "ninja.operation":
            continue  # an API operation: listed from the routers below, by method
        model_admin = _admin_model(pattern)
        if model_admin is not None:
            if issubclass(model_admin, AuditedAdmin | ReadOnlyAdmin):
                continue  # access from the permission table (the last test below)
            # One entry per model: its pages share the ModelAdmin that decides access to them all.
            route = _admin_model_route(route)
            view = f"{model_admin.__module__}.{model_admin.__qualname__}"
        else:
            view = f"{callback.__module__}.{getattr(callback, '__qualname__', callback.__class__.__name__)}"
        found.setdefault(route, Found(route, view))
    api_root = reverse(f"{api.urls_namespace}:api-root").rstrip("/")
    for prefix, router in api._routers:
        for method, path, view in _operations(router, prefix):
            route = f"{method} {api_root}{path}"
            found.setdefault(route, Found(route, view))
    return sorted(found.values(), key=lambda f: f.route)


def matrix_routes() -> set[str]:
    """The routes the permission matrix requests, named as ``all_routes`` names them."""
    covered = set()
    for route in ROUTES:
        path = route.path.format(batch=1).split("?", 1)[0]
        match = resolve(path)
        name = "/" + match.route
        if match.func.__module__ == "ninja.operation":
            covered.add(f"{route.method} {name}")
        elif getattr(match.func, "model_admin", None) is not None:
            covered.add(_admin_model_route(name))
        else:
            covered.add(name)
    return covered


def _suggestion(found: Found) -> str:
    method, _, path = found.route.rpartition(" ")
    concrete = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
    if method:
        route = f'Route("…", "{method}", "{concrete}", (Action.…,), api=True)'
    else:
        route = f'Route("…", "GET", "{concrete}", (Action.…,))'
    return (
        f"  {found.route}   ({found.view})\n"
        f"    in {MATRIX}, ROUTES:  {route},\n"
        f'    or in {HERE}, EXEMPT:  Exempt("{found.route}", "who may, and the test that shows it"),'
    )


def test_every_page_and_endpoint_is_in_the_matrix_or_exempt() -> None:
    known = matrix_routes() | {e.route for e in EXEMPT}
    missing = [found for found in all_routes() if found.route not in known]
    assert not missing, (
        f"{len(missing)} route(s) are neither in the permission matrix nor exempt. For each, either add a "
        "Route that a persona reaches with GET (replace the {placeholders} with values the matrix's world "
        "has, and give the actions of accounts.permissions.TABLE that allow it; owner_only or audience for "
        "a rule of its own), or, if the matrix cannot request it (a POST step, an object of a case), an "
        "Exempt with the reason and the test that checks its access (docs/recipes.md):\n"
        + "\n".join(_suggestion(f) for f in missing)
    )


def test_every_exemption_names_a_route_that_exists() -> None:
    routes = {found.route for found in all_routes()}
    stale = [e.route for e in EXEMPT if e.route not in routes]
    assert not stale, f"exempt routes that no longer exist (remove them from EXEMPT in {HERE}): {stale}"


def test_the_matrix_and_the_exemptions_do_not_overlap() -> None:
    both = matrix_routes() & {e.route for e in EXEMPT}
    assert not both, f"in the matrix and exempt at once (remove the exemption from {HERE}): {sorted(both)}"


def test_every_admin_model_page_takes_access_from_the_permission_table() -> None:
    """Admin model pages are not in the matrix one by one: their ModelAdmin decides, and it must be one
    of the two bases that read ``accounts.permissions`` (or a library's model, exempt above)."""
    exempt = {e.route for e in EXEMPT}
    stray = [
        f"{model._meta.label}: {type(model_admin).__qualname__}"
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdmin | ReadOnlyAdmin)
        and f"/admin/{model._meta.app_label}/{model._meta.model_name}/" not in exempt
    ]
    assert not stray, (
        "admin classes must subclass accounts.admin_base.AuditedAdmin (reference data: centre staff look, "
        f"catalogue administrators change) or ReadOnlyAdmin (credit data): {stray}"
    )
