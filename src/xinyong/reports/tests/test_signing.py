"""Report signatures: PAdES signing with the local and the configured key, and checking uploaded PDFs."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import multiprocessing
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pytest_django.fixtures import Settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from xinyong.core import clock
from xinyong.reports import signing
from xinyong.reports.signing import (
    ConfiguredSigner,
    LocalSigner,
    check_pdf,
    check_signing_configuration,
    get_signer,
    trust_roots,
)

PDFSIG = Path("/usr/bin/pdfsig")
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
needs_pdfsig = pytest.mark.skipif(
    not PDFSIG.exists(), reason="poppler's pdfsig is not installed (apt install poppler-utils)"
)
VALID = "Signature Validation: Signature is Valid."


def report_pdf() -> bytes:
    """Two pages of Chinese text with the embedded TrueType CJK font, as reports are made."""
    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", FONT, subfontIndex=0))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    for number in (1, 2):
        page.setFont("WQY", 12)
        page.drawString(72, 760, f"专项信用报告（无违法违规记录证明版） 第{number}页")
        page.drawString(72, 740, "市场监督管理：未发现违法违规记录")
        page.showPage()
    page.save()
    return buffer.getvalue()


def sign(signer: signing.Signer, pdf: bytes | None = None) -> bytes:
    return signer.sign(pdf or report_pdf(), reason="专项信用报告 XY-20261122-000001", location="厦门市")


def pdfsig(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    result = subprocess.run([str(PDFSIG), str(path)], capture_output=True, text=True, timeout=30, check=False)
    return result.stdout + result.stderr


@pytest.fixture(scope="session")
def platform_keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The platform's development keys, generated once for the session (RSA-3072 takes a moment)."""
    key_dir = tmp_path_factory.mktemp("platform-keys")
    LocalSigner(key_dir)
    return key_dir


@pytest.fixture(scope="session")
def stranger(tmp_path_factory: pytest.TempPathFactory) -> LocalSigner:
    """Someone else's self-made CA and signing certificate, with the same names as ours."""
    return LocalSigner(tmp_path_factory.mktemp("stranger-keys"))


@pytest.fixture
def platform(settings: Settings, platform_keys: Path) -> Iterator[signing.Signer]:
    settings.REPORT_KEY_DIR = platform_keys
    settings.REPORT_SIGNING_KEY = ""
    get_signer.cache_clear()
    yield get_signer()
    get_signer.cache_clear()


@needs_pdfsig
def test_it_signs_a_pdf_that_pdfsig_accepts(tmp_path: Path, platform: signing.Signer) -> None:
    output = pdfsig(tmp_path, sign(platform))

    assert VALID in output
    assert "ETSI.CAdES.detached" in output
    assert "Total document signed" in output
    assert signing.LOCAL_SIGNER_NAME in output


def test_it_adds_one_signature_as_an_incremental_update(platform: signing.Signer) -> None:
    original = report_pdf()
    signed = sign(platform, original)

    assert signed.startswith(original)
    signatures = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    assert len(signatures) == 1
    assert signatures[0].sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signatures[0].sig_object["/Reason"] == "专项信用报告 XY-20261122-000001"
    assert signatures[0].sig_object["/Location"] == "厦门市"


def test_it_accepts_the_platforms_own_signature(platform: signing.Signer) -> None:
    signed = sign(platform)

    check = check_pdf(signed)

    assert check.intact and check.trusted
    assert check.problem == ""
    assert check.signer == signing.LOCAL_SIGNER_NAME
    assert check.sha256 == hashlib.sha256(signed).hexdigest()
    assert check.signed_at is not None
    assert abs(check.signed_at - clock.now()) < dt.timedelta(minutes=1)


def test_it_shows_the_certificate_fingerprint(platform: signing.Signer) -> None:
    der = platform.certificate.public_bytes(serialization.Encoding.DER)

    assert platform.certificate_sha256 == hashlib.sha256(der).hexdigest()
    (root,) = trust_roots()
    assert root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == signing.LOCAL_CA_NAME
    assert platform.certificate.issuer == root.subject


def _header_byte(signed: bytes) -> int:
    """A byte of ReportLab's header comment: inside the signed range, and the file still parses."""
    return signed.index(b"ReportLab Generated PDF document") + 10


def _middle_byte(signed: bytes) -> int:
    return len(report_pdf()) // 2


@pytest.mark.parametrize("position", [_header_byte, _middle_byte], ids=["header", "middle"])
def test_a_copy_with_one_byte_changed_fails(
    tmp_path: Path, platform: signing.Signer, position: object
) -> None:
    signed = sign(platform)
    tampered = bytearray(signed)
    offset = position(signed)  # type: ignore[operator]
    tampered[offset] ^= 0x01

    check = check_pdf(bytes(tampered))

    assert not check.intact and not check.trusted
    assert check.problem
    if PDFSIG.exists():
        assert VALID not in pdfsig(tmp_path, bytes(tampered))


def test_a_changed_byte_in_the_text_is_reported_as_altered(platform: signing.Signer) -> None:
    signed = bytearray(sign(platform))
    signed[_header_byte(bytes(signed))] ^= 0x01

    assert check_pdf(bytes(signed)).problem == signing.ALTERED


def test_bytes_appended_after_signing_fail(platform: signing.Signer) -> None:
    check = check_pdf(sign(platform) + b"\n% appended\n")

    assert not check.intact and not check.trusted
    assert check.problem == signing.APPENDED


def test_an_incremental_update_after_signing_fails(platform: signing.Signer) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(sign(platform)))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()  # type: ignore[no-untyped-call]  # pyhanko leaves it unannotated
    updated = io.BytesIO()
    writer.write(updated)  # type: ignore[no-untyped-call]

    check = check_pdf(updated.getvalue())

    assert not check.intact and not check.trusted
    assert check.problem == signing.APPENDED


@pytest.mark.parametrize(
    "data",
    [b"not a pdf", b"", b"%PDF-1.7\n%%EOF", b"\x00" * 1000],
    ids=["text", "empty", "header-only", "zeros"],
)
def test_it_answers_garbage_without_raising(platform: signing.Signer, data: bytes) -> None:
    check = check_pdf(data)

    assert not check.intact and not check.trusted
    assert check.problem
    assert check.sha256 == hashlib.sha256(data).hexdigest()


def test_it_answers_a_truncated_signed_pdf_without_raising(platform: signing.Signer) -> None:
    signed = sign(platform)

    check = check_pdf(signed[: len(signed) - 200])

    assert not check.intact and check.problem


def test_it_says_an_unsigned_pdf_has_no_signature(platform: signing.Signer) -> None:
    check = check_pdf(report_pdf())

    assert not check.intact and check.problem == signing.NO_SIGNATURE


def test_it_does_not_trust_a_signature_from_another_ca(
    platform: signing.Signer, stranger: LocalSigner
) -> None:
    check = check_pdf(sign(stranger))

    assert check.intact and not check.trusted
    assert check.problem == signing.UNTRUSTED
    assert check.signer == signing.LOCAL_SIGNER_NAME  # the same name proves nothing


# --- local keys ---------------------------------------------------------------------------------


def test_it_generates_local_keys_once_and_loads_them_later(tmp_path: Path) -> None:
    first = LocalSigner(tmp_path)
    second = LocalSigner(tmp_path)

    assert second.certificate_sha256 == first.certificate_sha256
    assert second.roots == first.roots
    for name in ("local-ca.key.pem", "local-signing.key.pem"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_local_certificate_is_for_signing_only(platform: signing.Signer) -> None:
    certificate = platform.certificate
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value

    assert usage.digital_signature and usage.content_commitment
    assert not usage.key_cert_sign
    assert certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert certificate.not_valid_after_utc - clock.now() > dt.timedelta(days=3600)
    assert certificate.public_key().key_size >= 2048  # type: ignore[union-attr]


def _fingerprint_in_child(key_dir: str) -> str:
    return LocalSigner(Path(key_dir)).certificate_sha256


def test_two_processes_starting_at_once_make_one_ca(tmp_path: Path) -> None:
    with multiprocessing.get_context("fork").Pool(2) as pool:
        fingerprints = pool.map(_fingerprint_in_child, [str(tmp_path)] * 2)

    assert fingerprints[0] == fingerprints[1]
    assert LocalSigner(tmp_path).certificate_sha256 == fingerprints[0]


# --- configured keys ----------------------------------------------------------------------------


def _certificate(
    subject: str,
    issuer: str,
    public_key: ec.EllipticCurvePublicKey,
    signing_key: ec.EllipticCurvePrivateKey,
    *,
    ca: bool,
) -> x509.Certificate:
    now = clock.now()
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=False,  # some CAs issue document-signing certificates without it
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(signing_key, hashes.SHA256())
    )


@pytest.fixture
def production_keys(tmp_path: Path) -> dict[str, Path]:
    """A CA's root certificate and the platform's ECDSA key (encrypted) and certificate, as PEM files."""
    root_key = ec.generate_private_key(ec.SECP256R1())
    key = ec.generate_private_key(ec.SECP256R1())
    root = _certificate(
        "福建省电子认证根证书（测试）",
        "福建省电子认证根证书（测试）",
        root_key.public_key(),
        root_key,
        ca=True,
    )
    cert = _certificate(
        "厦门市公共信用信息平台", "福建省电子认证根证书（测试）", key.public_key(), root_key, ca=False
    )
    files = {"key": tmp_path / "key.pem", "cert": tmp_path / "cert.pem", "chain": tmp_path / "chain.pem"}
    files["key"].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"s3cret passphrase"),
        )
    )
    files["cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files["chain"].write_bytes(root.public_bytes(serialization.Encoding.PEM))
    return files


@pytest.fixture
def configured(settings: Settings, production_keys: dict[str, Path], tmp_path: Path) -> Iterator[Settings]:
    settings.REPORT_SIGNING_KEY = str(production_keys["key"])
    settings.REPORT_SIGNING_CERT = str(production_keys["cert"])
    settings.REPORT_SIGNING_CHAIN = str(production_keys["chain"])
    settings.REPORT_SIGNING_PASSPHRASE = "s3cret passphrase"
    settings.REPORT_KEY_DIR = tmp_path / "never-used"
    get_signer.cache_clear()
    yield settings
    get_signer.cache_clear()


def test_it_signs_with_the_configured_key(tmp_path: Path, configured: Settings) -> None:
    signer = get_signer()
    signed = sign(signer)

    assert isinstance(signer, ConfiguredSigner)
    check = check_pdf(signed)
    assert check.intact and check.trusted
    assert check.signer == "厦门市公共信用信息平台"
    assert [root.subject.rfc4514_string() for root in trust_roots()] == ["CN=福建省电子认证根证书（测试）"]
    assert not (tmp_path / "never-used").exists()
    if PDFSIG.exists():
        assert VALID in pdfsig(tmp_path, signed)


def test_it_does_not_trust_the_development_ca_in_production(
    configured: Settings, platform_keys: Path
) -> None:
    check = check_pdf(sign(LocalSigner(platform_keys)))

    assert check.intact and not check.trusted


def test_it_names_an_unreadable_key_file(configured: Settings, tmp_path: Path) -> None:
    configured.REPORT_SIGNING_KEY = str(tmp_path / "missing.pem")

    with pytest.raises(ImproperlyConfigured, match=r"XINYONG_REPORT_SIGNING_KEY.*missing\.pem"):
        get_signer()
    (error,) = check_signing_configuration()
    assert error.id == "reports.E001" and "missing.pem" in error.msg


def test_it_names_an_unreadable_chain_file(configured: Settings, tmp_path: Path) -> None:
    configured.REPORT_SIGNING_CHAIN = str(tmp_path)  # a directory, not a file

    with pytest.raises(ImproperlyConfigured, match="XINYONG_REPORT_SIGNING_CHAIN"):
        get_signer()


def test_it_refuses_a_wrong_passphrase(configured: Settings) -> None:
    configured.REPORT_SIGNING_PASSPHRASE = "wrong"

    with pytest.raises(ImproperlyConfigured, match="口令"):
        get_signer()


def test_it_refuses_a_key_that_does_not_match_the_certificate(
    configured: Settings, production_keys: dict[str, Path]
) -> None:
    configured.REPORT_SIGNING_CERT = str(production_keys["chain"])  # the root's certificate

    with pytest.raises(ImproperlyConfigured, match="不匹配"):
        get_signer()


def test_it_refuses_an_expired_certificate(configured: Settings) -> None:
    with (
        time_machine.travel(clock.now() + dt.timedelta(days=366)),
        pytest.raises(ImproperlyConfigured, match="过期"),
    ):
        get_signer()


def test_the_configuration_check_is_quiet_without_a_configured_key(settings: Settings) -> None:
    settings.REPORT_SIGNING_KEY = ""

    assert check_signing_configuration() == []
