"""Page checks for browser tests: axe-core's accessibility rules and the phone width rule.

axe-core is vendored (``vendor/``, pinned) and evaluated through Playwright, which the platform's
content security policy does not apply to; the platform never serves it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
#: The WCAG 2.1 A and AA rules: what a public service in China (GB/T 37668) and elsewhere is held to.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def serious_violations(page: Page) -> list[str]:
    """axe's serious and critical violations on the page as it stands, one line each with the
    elements concerned; an empty list is a pass."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source() + "\n;undefined")
    result: list[dict[str, Any]] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations.map("
        "v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))})))",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(v['nodes'][:5])}"
        for v in result
        if v["impact"] in BLOCKING
    ]


def sideways_overflow(page: Page) -> int:
    """How many CSS pixels the document is wider than the viewport (0: nothing scrolls sideways)."""
    width: int = page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth"
    )
    return max(width, 0)
