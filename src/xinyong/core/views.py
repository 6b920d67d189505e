"""Site-wide pages that belong to no app: the robots policy."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

PAGE_SIZE = 50


#: Crawlers may index the home page and the 双公示 / red and black lists, which exist to be found;
#: not search, subject pages (a crawl of them is the wholesale copy of the register that the public
#: rate limit is there to prevent), nor the API, accounts, workspaces, the admin or the centre's pages.
ROBOTS = """\
User-agent: *
Allow: /$
Allow: /publicity/
Allow: /static/
Disallow: /search
Disallow: /s/
Disallow: /api/
Disallow: /query/
Disallow: /account/
Disallow: /accounts/
Disallow: /workspace/
Disallow: /admin/
Disallow: /centre/
Disallow: /i18n/
"""


@require_safe  # GET and HEAD: some crawlers check with HEAD first
def robots_txt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(ROBOTS, content_type="text/plain; charset=utf-8")
