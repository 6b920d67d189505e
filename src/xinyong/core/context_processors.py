"""Template context shared by every page: the working-day calendar warning for centre staff."""

from __future__ import annotations

from django.http import HttpRequest

from xinyong.accounts.models import User
from xinyong.core import clock
from xinyong.core.calendar import missing_years_ahead
from xinyong.core.models import CalendarYear


def calendar_warning(request: HttpRequest) -> dict[str, list[int]]:
    """``calendar_missing_years``: years whose holiday notice is missing although deadlines will soon
    need them (this year always, next year from October), shown to centre staff on every page so the
    notice is entered well before the year starts. One small query, once per request."""
    user = getattr(request, "user", None)
    if not (isinstance(user, User) and user.is_authenticated and user.kind == User.Kind.CENTRE):
        return {}
    missing: list[int] | None = getattr(request, "_calendar_missing_years", None)
    if missing is None:
        # Only the covered years matter here, so the days themselves are not loaded.
        missing = missing_years_ahead(set(CalendarYear.objects.values_list("year", flat=True)), clock.today())
        request._calendar_missing_years = missing  # type: ignore[attr-defined]
    return {"calendar_missing_years": missing}
