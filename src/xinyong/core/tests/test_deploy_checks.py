"""``xinyong check --deploy`` fails while the platform would hand out borrowed identities, print a wrong
or plain-http address on signed reports, or sign them with the development keys; the normal checks
warn about an unset address outside development."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from pytest_django.fixtures import Settings

from xinyong.accounts.checks import check_identity_verifier_loads
from xinyong.core.checks import check_public_url_set
from xinyong.reports.signing import LocalSigner, get_signer
from xinyong.reports.tests.test_signing import configured, production_keys  # noqa: F401 (fixtures)

PRODUCTION = {
    "DEBUG": False,
    "XINYONG_IDENTITY_VERIFIER": "xinyong.accounts.realname.GovernmentVerifier",
    "XINYONG_IDENTITY_SERVICE": "xinyong.accounts.realname.RecordedIdentityService",
    "PUBLIC_URL_CONFIGURED": True,
    "PUBLIC_BASE_URL": "https://credit.xiamen.example.cn",
}
OURS = ("accounts.", "core.", "reports.")


def _deploy_errors() -> set[str]:
    """The ids of the platform's own errors that ``check --deploy`` stops on (none: it passes)."""
    out = StringIO()
    try:
        call_command("check", deploy=True, fail_level="ERROR", stdout=out, stderr=out)
    except SystemCheckError as failed:
        # Each message reads "?: (accounts.E001) …".
        ids = {part.split(")")[0] for part in str(failed).split("(")[1:]}
        return {i for i in ids if i.startswith(OURS) and ".E" in i}
    return set()


@pytest.fixture
def production(settings: Settings, configured: Settings) -> Iterator[Settings]:  # noqa: F811
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    yield settings


def test_it_passes_with_the_production_verifier_an_https_address_and_configured_keys(
    production: Settings,
) -> None:
    assert _deploy_errors() == set()


def test_it_fails_with_the_development_verifier_when_debug_is_off(production: Settings) -> None:
    production.XINYONG_IDENTITY_VERIFIER = "xinyong.accounts.realname.LocalRegisterVerifier"

    assert _deploy_errors() == {"accounts.E001"}

    production.DEBUG = True  # a developer's machine: Django's own deploy warnings say DEBUG is on
    assert _deploy_errors() == set()


def test_it_fails_without_a_public_address_or_with_a_plain_http_one(production: Settings) -> None:
    production.PUBLIC_URL_CONFIGURED = False
    assert _deploy_errors() == {"core.E001"}

    production.PUBLIC_URL_CONFIGURED = True
    production.PUBLIC_BASE_URL = "http://credit.xiamen.example.cn"
    assert _deploy_errors() == {"core.E002"}


def test_it_fails_with_the_generated_development_keys(production: Settings) -> None:
    production.REPORT_SIGNING_KEY = ""
    get_signer.cache_clear()

    assert _deploy_errors() == {"reports.E002"}


def test_it_fails_with_development_keys_copied_into_the_configuration(
    production: Settings, tmp_path: Path
) -> None:
    LocalSigner(tmp_path)  # generates the development CA and signing key there
    production.REPORT_SIGNING_KEY = str(tmp_path / "local-signing.key.pem")
    production.REPORT_SIGNING_CERT = str(tmp_path / "local-signing.cert.pem")
    production.REPORT_SIGNING_CHAIN = str(tmp_path / "local-ca.cert.pem")
    production.REPORT_SIGNING_PASSPHRASE = ""

    assert _deploy_errors() == {"reports.E002"}


def test_the_development_defaults_fail_on_all_three(settings: Settings) -> None:
    settings.DEBUG = False
    settings.PUBLIC_URL_CONFIGURED = False
    settings.XINYONG_IDENTITY_VERIFIER = "xinyong.accounts.realname.LocalRegisterVerifier"
    settings.REPORT_SIGNING_KEY = ""

    assert _deploy_errors() == {"accounts.E001", "core.E001", "reports.E002"}


def test_a_verifier_that_cannot_be_built_stops_every_start(settings: Settings) -> None:
    settings.XINYONG_IDENTITY_VERIFIER = "xinyong.accounts.realname.GovernmentVerifier"
    settings.XINYONG_IDENTITY_SERVICE = ""  # forgotten

    (error,) = check_identity_verifier_loads()

    assert error.id == "accounts.E002"


@pytest.mark.parametrize(
    ("debug", "configured_url", "warned"),
    [(False, False, True), (True, False, False), (False, True, False)],
    ids=["production-unset", "development", "production-set"],
)
def test_an_unset_public_address_is_a_warning_outside_development(
    settings: Settings, debug: bool, configured_url: bool, warned: bool
) -> None:
    settings.DEBUG = debug
    settings.PUBLIC_URL_CONFIGURED = configured_url

    assert [w.id for w in check_public_url_set()] == (["core.W001"] if warned else [])
