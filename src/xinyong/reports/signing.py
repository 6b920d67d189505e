"""Digital signatures (电子签章) on report PDFs, and checking a signed PDF (验签).

Every report PDF carries the platform's PAdES baseline B-B signature (``/SubFilter
/ETSI.CAdES.detached``), added as an incremental update, certifying the document with "no changes
allowed". On the financial edition each department that confirmed its part seals it first with its own
key (:class:`DepartmentSigner`), and the platform's signature comes last, an approval signature that
locks the document (:class:`SignatureKind`). Who signs for the platform is behind the :class:`Signer`
interface:

- :class:`LocalSigner` (development): a local CA and a signing certificate generated on first use
  under ``REPORT_KEY_DIR`` (``var/keys``, never committed). Verifiers see "issuer not trusted".
- :class:`ConfiguredSigner` (production): the platform's key and certificate from files named in
  ``XINYONG_REPORT_SIGNING_KEY`` / ``_CERT`` / ``_CHAIN`` / ``_PASSPHRASE``.

:func:`check_pdf` answers "is this file, byte for byte, a PDF this platform signed?" for the
verification page; whether the report is still current is the reports app's question.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, Protocol, TypeAlias

from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from xinyong.core import clock
from xinyong.reports.storage import write_atomically

SIGNATURE_FIELD = "XinyongReportSignature"

# The signing time is the signature dictionary's /M (PAdES forbids the CMS signing-time attribute);
# pyHanko takes it from its own clock (datetime.now), which time-machine also moves in tests.

PrivateKey: TypeAlias = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


class SignatureKind(StrEnum):
    """Which signature a PDF gets (ISO 32000: a certification signature must be a document's first)."""

    #: The platform's only signature (special and full editions): readers show the report as certified
    #: and flag any change.
    CERTIFICATION = "certification"
    #: A department's seal on its confirmed part of the financial edition (an approval signature);
    #: further seals and the platform's closing signature follow.
    DEPARTMENT = "department"
    #: The platform's signature after the departments' seals: an approval signature that locks the
    #: document (/Lock /P 1, no changes allowed after it).
    CLOSING = "closing"


class Signer(Protocol):
    """Signs report PDFs. A PKCS#11 HSM (pyHanko's ``PKCS11Signer``) or an SM2 / GB/T 38540 seal
    service would be a third implementation, chosen in :func:`get_signer` by a setting."""

    @property
    def certificate(self) -> x509.Certificate: ...

    @property
    def certificate_sha256(self) -> str:
        """Hex SHA-256 fingerprint of :attr:`certificate`, shown on the verification page."""
        ...

    @property
    def roots(self) -> Sequence[x509.Certificate]:
        """The CA certificates a verifier of this signer's PDFs trusts."""
        ...

    def sign(
        self, pdf: bytes, *, reason: str, location: str, field: str = SIGNATURE_FIELD,
        kind: SignatureKind = SignatureKind.CERTIFICATION,
    ) -> bytes:  # fmt: skip
        """``pdf`` with one PAdES B-B signature appended as an incremental update, in the field ``field``."""
        ...


class _KeyInMemory(signers.SimpleSigner):
    """pyHanko's ``SimpleSigner`` re-parses the private key for every signature, which with
    cryptography's key checks costs ≈130 ms for RSA-3072; keep the parsed key instead."""

    def __init__(
        self, key: PrivateKey, certificate: x509.Certificate, chain: Sequence[x509.Certificate]
    ) -> None:
        super().__init__(
            signing_cert=_asn1(certificate),
            signing_key=_asn1_key(key),
            cert_registry=SimpleCertificateStore.from_certs([_asn1(c) for c in chain]),  # type: ignore[no-untyped-call]
        )
        self._key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        digest = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, padding.PKCS1v15(), digest)
        if mechanism == "ecdsa" and isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(digest))
        return bytes(super().sign_raw(data, digest_algorithm))


class _PadesSigner:
    """Signs with a key held in memory; the two signers differ only in where the key comes from."""

    def __init__(
        self,
        key: PrivateKey,
        certificate: x509.Certificate,
        chain: Sequence[x509.Certificate],
        roots: Sequence[x509.Certificate],
    ) -> None:
        self._certificate = certificate
        self._roots = tuple(roots)
        self._cms_signer = _KeyInMemory(key, certificate, chain)
        # Room for the CMS object, counted in hex digits (two per byte, so always even): the
        # certificates it embeds, the signature value, and 2 KiB for the signed attributes and the
        # structure. Giving it saves pyHanko a dry-run signature (≈5 ms) per PDF.
        embedded = sum(len(c.public_bytes(serialization.Encoding.DER)) for c in (certificate, *chain))
        self._bytes_reserved = 2 * (embedded + key.key_size // 8 + 2048)

    @property
    def certificate(self) -> x509.Certificate:
        return self._certificate

    @property
    def certificate_sha256(self) -> str:
        return self._certificate.fingerprint(hashes.SHA256()).hex()

    @property
    def roots(self) -> Sequence[x509.Certificate]:
        return self._roots

    def sign(
        self, pdf: bytes, *, reason: str, location: str, field: str = SIGNATURE_FIELD,
        kind: SignatureKind = SignatureKind.CERTIFICATION,
    ) -> bytes:  # fmt: skip
        metadata = signers.PdfSignatureMetadata(
            field_name=field,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason,
            location=location,
            certify=kind == SignatureKind.CERTIFICATION,
            docmdp_permissions=fields.MDPPerm.NO_CHANGES,  # certification or lock; a seal has neither
        )
        # The closing signature locks the document through its field's /Lock dictionary (PDF 2.0):
        # pyHanko applies docmdp_permissions to an approval signature only where such a lock exists.
        lock = (
            fields.SigFieldSpec(
                field,
                field_mdp_spec=fields.FieldMDPSpec(fields.FieldMDPAction.ALL),
                doc_mdp_update_value=fields.MDPPerm.NO_CHANGES,
            )
            if kind == SignatureKind.CLOSING
            else None
        )
        output = io.BytesIO()
        signers.PdfSigner(metadata, signer=self._cms_signer, new_field_spec=lock).sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf)), output=output, bytes_reserved=self._bytes_reserved
        )
        return output.getvalue()


# --- development: a local CA ------------------------------------------------------------------

LOCAL_CA_NAME = "xinyong 开发用根证书 (development only)"
LOCAL_SIGNER_NAME = "xinyong 公共信用信息平台 报告签章 (development)"
_LOCAL_FILES = ("local-ca.key.pem", "local-ca.cert.pem", "local-signing.key.pem", "local-signing.cert.pem")
# Valid from before the data start (2020-08-01), so tests that travel back in time still verify.
_LOCAL_NOT_BEFORE = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
_LOCAL_VALIDITY = dt.timedelta(days=3653)


class LocalSigner(_PadesSigner):
    """Development signer: keys and certificates in ``key_dir``, generated there on first use."""

    def __init__(self, key_dir: Path) -> None:
        ca_cert, key, cert = _load_or_create_local_keys(key_dir)
        super().__init__(key, cert, [ca_cert], [ca_cert])


def _load_or_create_local_keys(key_dir: Path) -> tuple[x509.Certificate, PrivateKey, x509.Certificate]:
    # The CA's key stays on disk, to issue a new signing certificate one day; signing does not need it.
    key_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    paths = [key_dir / name for name in _LOCAL_FILES]
    # Two processes starting at once (web server and worker) must not generate two different CAs.
    with open(key_dir / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not all(path.exists() for path in paths):
            _create_local_keys(paths)
        _, ca_cert_path, key_path, cert_path = paths
        return (
            _read_certificates(ca_cert_path)[0],
            # A key the platform made itself: skip cryptography's RSA consistency check (≈100 ms a start).
            _read_key(key_path, None, check=False),
            _read_certificates(cert_path)[0],
        )


def _create_local_keys(paths: list[Path]) -> None:
    ca_key_path, ca_cert_path, key_path, cert_path = paths
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, LOCAL_CA_NAME)])
    ca_cert = (
        _certificate_builder(ca_name, ca_name, ca_key.public_key())
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, LOCAL_SIGNER_NAME)])
    cert = (
        _certificate_builder(name, ca_name, key.public_key())
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=True, content_commitment=True), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    # The signing certificate last: its presence means the set is complete.
    write_atomically(ca_key_path, _key_pem(ca_key), mode=0o600)
    write_atomically(ca_cert_path, ca_cert.public_bytes(serialization.Encoding.PEM), mode=0o644)
    write_atomically(key_path, _key_pem(key), mode=0o600)
    write_atomically(cert_path, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)


def _certificate_builder(
    subject: x509.Name, issuer: x509.Name, public_key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(_LOCAL_NOT_BEFORE)
        .not_valid_after(clock.now() + _LOCAL_VALIDITY)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _key_usage(**usages: bool) -> x509.KeyUsage:
    names = [
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
        "encipher_only",
        "decipher_only",
    ]
    return x509.KeyUsage(**{name: usages.get(name, False) for name in names})


def _key_pem(key: PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


# --- departments' seals on the financial edition (部门确认电子签章) ---------------------------------

#: The organisational unit of every department seal certificate: the platform's own signature never
#: carries it, so a department's seal can never pass for the platform's closing signature.
DEPARTMENT_OU = "信息提供单位确认签章"
_DEPARTMENT_DIR = "departments"


class DepartmentSigner(_PadesSigner):
    """A department's own seal for the part of a financial-edition report it confirmed.

    The key (ECDSA P-256: generated in milliseconds, one per department) and its certificate, issued by
    the platform's local CA, are made under ``key_dir/departments`` on first use, never kept in the
    repository. Where a seal-issuing authority (电子印章制发机构) issues the departments' certificates,
    their files take the same names there."""

    def __init__(self, key_dir: Path, code: str, name: str) -> None:
        ca_cert, key, cert = _load_or_create_department_keys(key_dir, code, name)
        super().__init__(key, cert, [ca_cert], [ca_cert])


def department_signer(code: str, name: str) -> Signer:
    """The seal of the department (provider) with USCC ``code``; built once per process and key directory."""
    return _department_signer(str(settings.REPORT_KEY_DIR), code, name)


@cache
def _department_signer(key_dir: str, code: str, name: str) -> DepartmentSigner:
    return DepartmentSigner(Path(key_dir), code, name)


def _fit(name: str, suffix: str = "") -> str:
    """``name`` + ``suffix`` within the 64 bytes (UTF-8) an X.509 name attribute may hold."""
    while len((name + suffix).encode()) > 64:
        name = name[:-1]
    return name + suffix


def department_roots() -> list[x509.Certificate]:
    """The CA certificates department seals chain to: the platform's local CA."""
    return [_load_or_create_local_keys(Path(settings.REPORT_KEY_DIR))[0]]


def _load_or_create_department_keys(
    key_dir: Path, code: str, name: str
) -> tuple[x509.Certificate, PrivateKey, x509.Certificate]:
    ca_cert = _load_or_create_local_keys(key_dir)[0]
    directory = key_dir / _DEPARTMENT_DIR
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    key_path, cert_path = directory / f"{code}.key.pem", directory / f"{code}.cert.pem"
    with open(key_dir / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not cert_path.exists():
            ca_key = _read_key(key_dir / _LOCAL_FILES[0], None, check=False)
            key = ec.generate_private_key(ec.SECP256R1())
            subject = x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, _fit(name, "确认签章")),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(name)),
                    x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEPARTMENT_OU),
                ]
            )
            cert = (
                _certificate_builder(subject, ca_cert.subject, key.public_key())
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(_key_usage(digital_signature=True, content_commitment=True), critical=True)
                .add_extension(
                    x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),  # type: ignore[arg-type]
                    critical=False,
                )
                .sign(ca_key, hashes.SHA256())
            )
            # The certificate last: its presence means the pair is complete.
            write_atomically(key_path, _key_pem(key), mode=0o600)
            write_atomically(cert_path, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)
        return ca_cert, _read_key(key_path, None, check=False), _read_certificates(cert_path)[0]


# --- production: configured key and certificate ---------------------------------------------


class ConfiguredSigner(_PadesSigner):
    """Production signer: the platform's key, its certificate and the CA chain up to the root, as PEM files."""

    def __init__(
        self, key_path: Path, cert_path: Path, chain_path: Path | None = None, passphrase: str = ""
    ) -> None:
        key = _read_key(key_path, passphrase, setting="XINYONG_REPORT_SIGNING_KEY")
        cert = _read_certificates(cert_path, setting="XINYONG_REPORT_SIGNING_CERT")[0]
        chain = _read_certificates(chain_path, setting="XINYONG_REPORT_SIGNING_CHAIN") if chain_path else []
        if _public_der(key) != cert.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ):
            raise ImproperlyConfigured(f"报告签章私钥 {key_path} 与证书 {cert_path} 不匹配。")
        if cert.not_valid_after_utc <= clock.now():
            raise ImproperlyConfigured(
                f"报告签章证书 {cert_path} 已于 {cert.not_valid_after_utc:%Y-%m-%d} 过期，请更换证书。"
            )
        super().__init__(key, cert, chain, _anchors(cert, chain))

    @classmethod
    def from_settings(cls) -> ConfiguredSigner:
        chain = settings.REPORT_SIGNING_CHAIN
        return cls(
            Path(settings.REPORT_SIGNING_KEY),
            Path(settings.REPORT_SIGNING_CERT),
            Path(chain) if chain else None,
            settings.REPORT_SIGNING_PASSPHRASE,
        )


def _anchors(cert: x509.Certificate, chain: Sequence[x509.Certificate]) -> list[x509.Certificate]:
    """The chain's root (self-signed); if the chain stops below a root, its topmost certificate."""
    certificates = [cert, *chain]
    self_signed = [c for c in certificates if c.issuer == c.subject]
    if self_signed:
        return self_signed
    subjects = {c.subject for c in certificates}
    return [c for c in certificates if c.issuer not in subjects]


def _read_key(path: Path, passphrase: str | None, *, setting: str = "", check: bool = True) -> PrivateKey:
    data = _read(path, setting)
    try:
        key = serialization.load_pem_private_key(
            data,
            password=passphrase.encode() if passphrase else None,
            unsafe_skip_rsa_key_validation=not check,
        )
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            f"{setting or path}：无法读取私钥 {path}（格式或口令错误：{error}）。"
        ) from error
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise ImproperlyConfigured(f"{setting or path}：仅支持 RSA 或 ECDSA 私钥。")
    return key


def _read_certificates(path: Path, *, setting: str = "") -> list[x509.Certificate]:
    data = _read(path, setting)
    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError as error:
        raise ImproperlyConfigured(f"{setting or path}：{path} 不是 PEM 格式的证书。") from error
    return certificates


def _read(path: Path, setting: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ImproperlyConfigured(
            f"{setting or path}：无法读取 {path}（{error.strerror}）。报告签章需要可读的密钥和证书文件。"
        ) from error


def _public_der(key: PrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _asn1(certificate: x509.Certificate) -> Any:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _asn1_key(key: PrivateKey) -> Any:
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return asn1_keys.PrivateKeyInfo.load(der)


# --- choosing the signer ------------------------------------------------------------------------


@cache
def get_signer() -> Signer:
    """The platform's signer: configured if ``REPORT_SIGNING_KEY`` is set, else the local development one.

    Built once per process, so keys are read (or generated) once; tests call ``get_signer.cache_clear()``.
    """
    if settings.REPORT_SIGNING_KEY:
        return ConfiguredSigner.from_settings()
    return LocalSigner(Path(settings.REPORT_KEY_DIR))


def trust_roots() -> list[x509.Certificate]:
    """The CA certificates :func:`check_pdf` trusts: the local CA, or the configured chain's root."""
    return list(get_signer().roots)


@checks.register(checks.Tags.security)
def check_signing_configuration(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """``manage.py check`` (and ``migrate``) fail with the reason when the configured key cannot be used."""
    if settings.REPORT_SIGNING_KEY:
        try:
            ConfiguredSigner.from_settings()
        except ImproperlyConfigured as error:
            return [checks.Error(str(error), id="reports.E001")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_production_signer(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """``check --deploy`` fails while reports are signed with the development keys: generated on first
    use, or configured but issued by the development CA (copied from ``var/keys``)."""
    hint = "设置 XINYONG_REPORT_SIGNING_KEY 和 XINYONG_REPORT_SIGNING_CERT（见 docs/operations.md）。"
    message = "报告使用开发用签章证书签名，接收方无法信任，签出的报告长期有效。"
    if not settings.REPORT_SIGNING_KEY:
        return [checks.Error(message, hint=hint, id="reports.E002")]
    try:
        certificate = _read_certificates(Path(settings.REPORT_SIGNING_CERT))[0]
    except ImproperlyConfigured:
        return []  # reported by check_signing_configuration
    issuer = [a.value for a in certificate.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)]
    if LOCAL_CA_NAME in issuer:
        return [checks.Error(message, hint=hint, id="reports.E002")]
    return []


# --- checking a signed PDF (验签) -------------------------------------------------------------


@dataclass(frozen=True)
class PdfCheck:
    """What a PDF's signature says.

    ``intact``: every signature valid, the last (the platform's) covering the whole file, byte for byte.
    ``trusted``: intact, the last signed with a certificate that chains to :func:`trust_roots`, and any
    earlier one a department's seal chaining to :func:`department_roots`. ``signer`` and ``signed_at`` are
    what the signature claims; believe them only when ``trusted``. ``problem`` is empty when trusted.
    """

    intact: bool
    trusted: bool
    signer: str
    signed_at: dt.datetime | None
    sha256: str
    problem: str


NOT_A_PDF = "文件不是有效的 PDF 文件，无法读取。"
NO_SIGNATURE = "文件中没有数字签名。"
BAD_SIGNATURE = "文件中的数字签名无法解析。"
ALTERED = "签名后文件内容被修改，签名无效。"
APPENDED = "文件在签名后被追加或修改，与签发的原件不一致。"
UNTRUSTED = "签名证书不是本平台的报告签章证书，或证书已失效。"


# A signing certificate needs digitalSignature or nonRepudiation (pyHanko's default wants the latter
# only, which some CAs' document-signing certificates lack).
_KEY_USAGE = KeyUsageConstraints(
    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
)


def check_pdf(data: bytes) -> PdfCheck:
    """Check the signature of an uploaded PDF. Never raises: unreadable input gives ``intact=False``."""
    sha256 = hashlib.sha256(data).hexdigest()

    def refused(problem: str, signer: str = "", signed_at: dt.datetime | None = None) -> PdfCheck:
        return PdfCheck(False, False, signer, signed_at, sha256, problem)

    # pyHanko raises many kinds of errors (PdfReadError, KeyError, ValueError, RecursionError…) on
    # malformed files, and an upload is anything; every failure means "not a PDF we can check".
    try:
        signatures = list(PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures)
    except Exception:
        return refused(NOT_A_PDF)
    if not signatures:
        return refused(NO_SIGNATURE)
    # The platform's signature is the last; on the financial edition the departments' seals precede it.
    *seals, embedded = signatures
    try:
        signer = _common_name(embedded.signer_cert)
        signed_at = embedded.self_reported_timestamp
        status = _validate(embedded, trust_roots(), signed_at)
        sealed = [_validate(seal, department_roots(), seal.self_reported_timestamp) for seal in seals]
    except Exception:
        return refused(BAD_SIGNATURE)
    if not all(s.intact and s.valid for s in (status, *sealed)):
        return refused(ALTERED, signer, signed_at)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return refused(APPENDED, signer, signed_at)
    trusted = (
        bool(status.trusted)
        and not _is_department_seal(embedded.signer_cert)
        and all(
            s.trusted and _is_department_seal(seal.signer_cert) for s, seal in zip(sealed, seals, strict=True)
        )
    )
    return PdfCheck(True, trusted, signer, signed_at, sha256, "" if trusted else UNTRUSTED)


def _validate(embedded: Any, roots: Sequence[x509.Certificate], signed_at: dt.datetime | None) -> Any:
    # Validate the certificate at the signing time (/M lies inside the signed bytes), so a report stays
    # verifiable for its 10 years after the signing certificate has expired.
    context = ValidationContext(
        trust_roots=[_asn1(c) for c in roots], moment=signed_at or clock.now(), allow_fetching=False
    )
    return validate_pdf_signature(embedded, context, key_usage_settings=_KEY_USAGE, skip_diff=True)


def _is_department_seal(certificate: Any) -> bool:
    return DEPARTMENT_OU in str(certificate.subject.native.get("organizational_unit_name", ""))


def _common_name(certificate: Any) -> str:
    return str(certificate.subject.native.get("common_name", ""))
