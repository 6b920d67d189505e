"""System checks of the platform's public address (``PUBLIC_BASE_URL``, from ``XINYONG_PUBLIC_URL``).

Signed report PDFs print the address and encode it in their QR code: a wrong one is wrong on paper for
as long as the report is kept, so it is checked before serving, not discovered on a printout.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

HINT = "设置 XINYONG_PUBLIC_URL 为公众访问本平台的 https 地址，例如 https://credit.xiamen.gov.cn（见 docs/security.md）。"


@checks.register(checks.Tags.security)
def check_public_url_set(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """Outside development (DEBUG off), an unset address is a warning at every start."""
    if settings.DEBUG or settings.PUBLIC_URL_CONFIGURED:
        return []
    return [
        checks.Warning(
            "XINYONG_PUBLIC_URL 未设置：报告二维码和核验链接将指向 xinyong serve 监听的地址"
            f"（其他命令为 {settings.PUBLIC_BASE_URL}），已签发的报告无法更改。",
            hint=HINT,
            id="core.W001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_public_url_for_deployment(
    app_configs: object = None, **kwargs: object
) -> list[checks.CheckMessage]:
    """``check --deploy``: the address must be set, and https (a printed http link invites tampering)."""
    if not settings.PUBLIC_URL_CONFIGURED:
        return [checks.Error("XINYONG_PUBLIC_URL 未设置。", hint=HINT, id="core.E001")]
    address = urlsplit(settings.PUBLIC_BASE_URL)
    if address.scheme != "https" or not address.hostname:
        return [
            checks.Error(
                f"XINYONG_PUBLIC_URL 不是 https 地址：{settings.PUBLIC_BASE_URL}", hint=HINT, id="core.E002"
            )
        ]
    return []


@checks.register()
def check_job_times(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """A time in ``XINYONG_JOB_TIMES`` for a job that does not exist (a typo) would leave the real job
    at its default time without a word: fail at start instead."""
    from xinyong.core.jobs import registered  # the registry imports every app's jobs: after start-up

    known = {job.name for job in registered()}
    return [
        checks.Error(
            f"XINYONG_JOB_TIMES 中的 {name} 不是已注册的定时任务。",
            hint=f"已注册：{'、'.join(sorted(known))}（xinyong jobs list）。",
            id="core.E010",
        )
        for name in settings.XINYONG_JOB_TIMES
        if name not in known
    ]
