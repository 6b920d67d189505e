"""Screenshots of the main pages, on a desktop and on a phone, for reviewing the site's look.

    .venv/bin/python scripts/screenshots.py                      # against http://127.0.0.1:8000
    .venv/bin/python scripts/screenshots.py --url http://host:8000 --out var/screenshots

Start the demo first (``bash scripts/demo.sh``); with ``XINYONG_DEMO_PASSWORD`` set to the demo
accounts' password the signed-in pages of the company (qiye) and a department (scjg) are taken too.
Files go to ``--out`` (default ``var/screenshots/``, which git ignores: never commit them), named
``<viewport>-<page>.png``. Uses Debian's Chromium (``/usr/bin/chromium``) through Playwright, as the
browser tests do.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
PUBLIC = {
    "home": "/",
    "search": "/search/?q=%E6%BC%94%E7%A4%BA",  # 演示: the demo's showcase subjects
    "penalties": "/publicity/penalties/",
    "black-list": "/publicity/black/",
    "red-list": "/publicity/red/",
    "verify": "/verify/?number=BG20261205-AAAAAA&code=ABCDEF",
    "policies": "/notices/policy/",
    "not-found": "/no-such-page/",
    "login": "/accounts/login/",
}
SIGNED_IN = {
    "qiye": {
        "account": "/account/",
        "reports": "/reports/",
        "objections": "/account/objections/",
        "repairs": "/repairs/",
    },
    "scjg": {
        "workspace": "/workspace/",
        "objections": "/workspace/objections/",
        "code-conflicts": "/workspace/code-conflicts/",
    },
}


def _shoot(page: Page, base: str, path: str, target: Path) -> None:
    page.goto(base + path)
    page.screenshot(path=str(target), full_page=True)
    print(target)


def _sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=Path("var/screenshots"))
    args = parser.parse_args()
    base = args.url.rstrip("/")
    args.out.mkdir(parents=True, exist_ok=True)
    password = os.environ.get("XINYONG_DEMO_PASSWORD", "")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        for name, viewport in VIEWPORTS.items():
            context = browser.new_context(locale="zh-CN", viewport=viewport, is_mobile=name == "phone")  # type: ignore[arg-type]
            page = context.new_page()
            for label, path in PUBLIC.items():
                _shoot(page, base, path, args.out / f"{name}-{label}.png")
            context.close()
            if not password:
                continue
            for username, pages in SIGNED_IN.items():
                context = browser.new_context(locale="zh-CN", viewport=viewport, is_mobile=name == "phone")  # type: ignore[arg-type]
                page = context.new_page()
                _sign_in(page, base, username, password)
                for label, path in pages.items():
                    _shoot(page, base, path, args.out / f"{name}-{username}-{label}.png")
                context.close()
        browser.close()
    if not password:
        print("XINYONG_DEMO_PASSWORD is not set: signed-in pages skipped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
