"""How a commitment's records enter the platform: through the one intake pipeline
(``collection.services.submit_records``), like every other record (docs/architecture.md, data flow).

Which provider submits them (``intake_provider``): the accepting party itself — "谁主管谁提供" (seed
000). A provider that accepts a commitment submits as itself. A government unit submits through the
provider with the unit's own USCC, registered on first use if the unit is not a provider yet, so the
record's 数据来源单位 and 认定机关 are the unit that accepted the commitment and determined the breach,
never a stand-in. Either way the provider is granted the two commitment kinds (信用承诺 and 违反信用承诺)
in the commitment's domain on first use, on the audit trail. A single platform-wide "centre" provider
was rejected: it would need an invented USCC and would misstate who is responsible for the record.
"""

from __future__ import annotations

from typing import Any

from xinyong.accounts.models import Unit
from xinyong.audit.services import Actor, record
from xinyong.catalog.models import Domain, Provider, ProviderGrant
from xinyong.collection.services import submit_records
from xinyong.commitments import errors
from xinyong.core import clock
from xinyong.core.errors import PlatformError
from xinyong.records.models import CreditRecord
from xinyong.subjects.models import Subject

COMMITMENT_KIND = "commitment"  # data/catalogue/kinds/commitment.yaml
SYSTEM = Actor.system("commitments")


def domains_of(unit: Unit | None, provider: Provider | None) -> list[Domain]:
    """The domains a party may report commitments in: a unit's duty domains, a provider's granted ones."""
    if unit is not None:
        return list(unit.domains.order_by("number"))
    granted = ProviderGrant.objects.filter(provider=provider).values("domain_id")
    return list(Domain.objects.filter(pk__in=granted).order_by("number"))


def intake_provider(
    unit: Unit | None, provider: Provider | None, domain: Domain, breach_kind: str
) -> Provider:
    """The provider that submits the commitment's records (module docstring), granted both kinds."""
    if provider is None:
        assert unit is not None
        provider, created = Provider.objects.get_or_create(
            code=unit.code, defaults={"name": unit.name, "created_at": clock.now()}
        )
        if created:
            record(actor=SYSTEM, action="provider.create", object_type="provider", object_id=provider.code,
                   detail={"name": provider.name, "for": "信用承诺", "unit": unit.pk})  # fmt: skip
    for kind in (COMMITMENT_KIND, breach_kind):
        _, created = ProviderGrant.objects.get_or_create(provider=provider, domain=domain, kind_code=kind)
        if created:
            record(actor=SYSTEM, action="provider.grant", object_type="provider", object_id=provider.code,
                   detail={"domain": domain.number, "kind": kind, "for": "信用承诺"})  # fmt: skip
    return provider


def subject_fields(prefix: str, kind: str, code: str, name: str, representative: str) -> dict[str, str]:
    """The subject columns of a commitment kind's row (prefix xycn_ or wfcn_)."""
    fields = {f"{prefix}_xdr_mc": name, f"{prefix}_xdr_lb": Subject.Kind(kind).label}
    if kind == Subject.Kind.PERSON:
        fields |= {f"{prefix}_xdr_zjlx": "身份证", f"{prefix}_xdr_zjhm": code}
    else:
        fields |= {f"{prefix}_xdr_shxym": code, f"{prefix}_frdb": representative}
    return fields


def submit(provider: Provider, kind_code: str, row: dict[str, Any]) -> CreditRecord:
    """Submit one row; a refused row refuses the whole step (the caller's transaction rolls back)."""
    _, outcomes = submit_records(provider, kind_code, [row])
    outcome = outcomes[0]
    if outcome.stored is None:
        detail = "；".join(f"{e.field or ''} {e.message}".strip() for e in outcome.errors)
        raise PlatformError(errors.INTAKE_REFUSED, kind=kind_code, detail=detail)
    return CreditRecord.objects.get(pk=outcome.stored.record_id)
