"""System checks of real-name verification (``accounts.realname``)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string


@checks.register(checks.Tags.security)
def check_identity_verifier_loads(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """The configured verifier (and its identity service) can be built: a typo stops the start."""
    try:
        import_string(settings.XINYONG_IDENTITY_VERIFIER)()
    except Exception as error:  # any failure to build it is the message
        return [
            checks.Error(
                f"实名核验无法启用（XINYONG_IDENTITY_VERIFIER={settings.XINYONG_IDENTITY_VERIFIER}）：{error}",
                hint="检查 XINYONG_IDENTITY_VERIFIER 和 XINYONG_IDENTITY_SERVICE（见 docs/security.md）。",
                id="accounts.E002",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_production_verifier(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """``check --deploy`` with DEBUG off: the development verifier lets any account bind to any company
    from what its public page shows, and then read its non-public information."""
    try:
        development = bool(getattr(import_string(settings.XINYONG_IDENTITY_VERIFIER), "is_development", True))
    except ImportError:
        return []  # reported by check_identity_verifier_loads
    if settings.DEBUG or not development:
        return []
    return [
        checks.Error(
            "实名核验使用开发用本地登记核对：只比对公开信息，任何账号都能绑定任何企业。",
            hint="设置 XINYONG_IDENTITY_VERIFIER=xinyong.accounts.realname.GovernmentVerifier 和 "
            "XINYONG_IDENTITY_SERVICE（政府身份核验服务的客户端，见 docs/security.md）。",
            id="accounts.E001",
        )
    ]
