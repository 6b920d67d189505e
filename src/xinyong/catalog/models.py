"""The catalogue (目录) as data: domains, record kinds with their field schemas, providers and their rights.

Rows are seeded from ``data/catalogue/`` and then edited in the admin. Record kinds are versioned and
effective-dated: a change of schema is a new version row, so every stored record version names the
schema it was validated against.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Q


class Domain(models.Model):
    """One of the report domains (领域) of 厦信用办〔2024〕1号 attachment, e.g. 1 法院执行领域."""

    number = models.PositiveSmallIntegerField("序号", unique=True)
    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("领域", max_length=100)
    provincial_units = models.CharField("省级责任单位", max_length=300)
    city_units = models.CharField("市级责任单位", max_length=300)
    in_special_report = models.BooleanField("纳入专项信用报告", default=True)

    class Meta:
        ordering = ["number"]
        verbose_name = verbose_name_plural = "领域 domain"

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Category(models.TextChoices):
    """Information categories (信息类别)."""

    BASIC = "basic", "基本信息"
    TRUST = "trust", "守信信息"
    DISHONESTY = "dishonesty", "失信信息"


class Severity(models.TextChoices):
    NONE = "none", "不适用"
    MINOR = "minor", "轻微"
    GENERAL = "general", "一般"
    SERIOUS = "serious", "严重"


class RecordKind(models.Model):
    """A kind of credit record (信息事项) in one version of its schema.

    ``schema`` is a list of field definitions ``{code, name, type, required, max_length, codelist,
    aliases}``; ``subject_fields`` maps subject roles (name, category, uscc, registration_no,
    legal_representative, id_type, id_number) to field codes. See docs/catalogue.md.
    """

    code = models.SlugField("代码", max_length=40)
    version = models.PositiveIntegerField(default=1)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    name = models.CharField("名称", max_length=100)
    category = models.CharField(max_length=12, choices=Category.choices)
    severity = models.CharField(
        "默认严重程度", max_length=10, choices=Severity.choices, default=Severity.NONE
    )
    report_domain = models.ForeignKey(
        Domain,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="固定归属的报告领域；为空时取信息提供单位被授权的领域",
    )
    key_field = models.CharField("唯一标识字段", max_length=40, help_text="e.g. cf_wsh 行政处罚决定书文号")
    decision_date_field = models.CharField("决定日期字段", max_length=40)
    subject_fields = models.JSONField()
    schema = models.JSONField()
    is_violation = models.BooleanField("违法违规信息", default=False, help_text="适用14个自然日归集时限")
    is_dual_publicity = models.BooleanField("双公示", default=False)
    source = models.CharField("依据", max_length=300)

    class Meta:
        ordering = ["code", "version"]
        verbose_name = verbose_name_plural = "信息事项 record kind"
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="catalog_recordkind_unique_version"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="catalog_recordkind_effective_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code} v{self.version})"

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    @property
    def fields(self) -> list[dict[str, Any]]:
        return list(self.schema)


class Provider(models.Model):
    """A data-providing unit (信息提供单位), identified by its own USCC."""

    code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("单位名称", max_length=200)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "信息提供单位 provider"

    def __str__(self) -> str:
        return self.name


class ProviderGrant(models.Model):
    """What a provider may report: a record kind within a domain (报送权限)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="grants")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT)
    kind_code = models.SlugField(max_length=40)

    class Meta:
        verbose_name = verbose_name_plural = "报送权限 provider grant"
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "domain", "kind_code"], name="catalog_providergrant_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} · {self.domain} · {self.kind_code}"


class ApiKey(models.Model):
    """A provider system's API key. Only a SHA-256 of the key is stored; the key is shown once.

    The keys are 32 random bytes, so a fast hash is enough: there is nothing to brute-force.
    """

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="api_keys")
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    requests_per_minute = models.PositiveIntegerField("每分钟请求上限", default=120)

    class Meta:
        verbose_name = verbose_name_plural = "接口密钥 API key"

    def __str__(self) -> str:
        return f"{self.provider} {self.prefix}…"


class ApiKeyWindow(models.Model):
    """Requests made with a key in one minute, for its quota (接口限额). Old windows are pruned."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    minute = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "minute"], name="catalog_apikeywindow_unique")]

    def __str__(self) -> str:
        return f"{self.key_id} {self.minute:%H:%M} {self.count}"
