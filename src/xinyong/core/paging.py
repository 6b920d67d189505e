"""How deep any list can be paged: the page, offset and limit parameters of every API list and page view.

A number from a query string reaches the database as an SQL ``OFFSET``; one past the engine's integer
range (2^63 on SQLite) made the query itself fail, a 500 instead of an answer. The API declares its
bounds in the OpenAPI document and refuses a value outside them (400 ``request.invalid``, the field
named); a page view, which a person reaches by editing a link, shows the last page instead.

The deepest page is the same everywhere: ``MAX_PAGE`` pages of at most ``MAX_PER_PAGE`` rows, so no
offset goes past ``MAX_OFFSET`` rows. Subject search pages less deep still (``subjects.search``).
"""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

MAX_PAGE = 10_000
MAX_PER_PAGE = 100
MAX_OFFSET = MAX_PAGE * MAX_PER_PAGE
#: Longest answer of an offset/limit list (providers' systems read their lists in few calls).
MAX_LIMIT = 500
#: The largest integer either database stores: the bound of an id taken from a form.
MAX_ID = 2**63 - 1
#: Rows on one page of a staff page view's list.
PAGE_SIZE = 50


class PageQuery(Schema):
    """``?page=&per_page=`` of a paged API list (pages counted from 1)."""

    page: int = Field(1, ge=1, le=MAX_PAGE, description=f"页码，从 1 开始，最多 {MAX_PAGE}")
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE, description=f"每页条数，最多 {MAX_PER_PAGE}")


class SliceQuery(Schema):
    """``?offset=&limit=`` of an API list read in slices."""

    limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"条数，最多 {MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"跳过的条数，最多 {MAX_OFFSET}")

    @property
    def end(self) -> int:
        return self.offset + self.limit


def whole_number(value: str | None, *, maximum: int = MAX_OFFSET) -> int | None:
    """A query or form value as a non-negative integer no larger than ``maximum``, or None when it is
    not one. ASCII digits only: ``str.isdigit`` also accepts "²" and other digits that ``int`` refuses;
    the length is checked first, as ``int`` refuses strings of more than 4,300 digits outright."""
    digits = (value or "").strip()
    if not (digits.isascii() and digits.isdigit()):
        return None
    digits = digits.lstrip("0") or "0"
    if len(digits) > len(str(maximum)) or int(digits) > maximum:
        return None
    return int(digits)


def page_number(value: str | None) -> int:
    """The page a page view shows for ``?page=``: 1 when absent or not a number; a number past the
    last page shows the last page (``Paginator.get_page``), as does one past ``MAX_PAGE``."""
    digits = (value or "").strip()
    if not (digits.isascii() and digits.isdigit()):
        return 1
    return whole_number(digits, maximum=MAX_PAGE) or (MAX_PAGE if digits.strip("0") else 1)
