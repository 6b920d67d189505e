"""Who may sign in and what they may do (账号、角色、授权).

Kinds of account: centre staff (信用中心, with sub-roles), government unit officers (政府部门), provider
staff (信息提供单位), subject accounts (信用主体: a company's representative or a person, real-name
verified). Public visitors have no account. What each may see and do is decided in
``accounts.permissions``, from one table.
"""

from __future__ import annotations

from collections.abc import Collection

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from xinyong.catalog.models import Domain, Provider


class Unit(models.Model):
    """A government unit (政府部门) whose officers query and batch-check subjects for its duties."""

    code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("单位名称", max_length=200)
    domains = models.ManyToManyField(Domain, blank=True, verbose_name="职责领域")
    # Codes from data/query_purposes.yaml (《厦门市公共信用信息管理办法》 list) this unit's duties involve.
    purposes = models.JSONField("可用查询事由", default=list, blank=True)
    # The financial bureau (金融工作局 / 地方金融监管部门): its officers keep the list of companies entitled
    # to the financial edition of the special credit report.
    financial_bureau = models.BooleanField("金融工作部门（维护金融专用版企业名单）", default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "政府部门 unit"

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person with an account."""

    class Kind(models.TextChoices):
        CENTRE = "centre", "信用中心工作人员"
        UNIT = "unit", "政府部门工作人员"
        PROVIDER = "provider", "信息提供单位工作人员"
        SUBJECT = "subject", "信用主体"

    kind = models.CharField("账号类型", max_length=10, choices=Kind.choices, default=Kind.SUBJECT)
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name="所属信息提供单位",
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name="所属政府部门",
    )
    # For subject accounts: the code of the subject this account acts for (USCC or resident ID), set
    # only by real-name verification.
    subject_code = models.CharField("信用主体代码", max_length=40, blank=True)
    verified_at = models.DateTimeField("实名核验时间", null=True, blank=True)
    verified_by = models.CharField("实名核验方式", max_length=60, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="provider", provider__isnull=False) | ~Q(kind="provider"),
                name="accounts_user_provider_staff_has_provider",
            ),
            models.CheckConstraint(
                condition=Q(kind="unit", unit__isnull=False) | ~Q(kind="unit"),
                name="accounts_user_unit_officer_has_unit",
            ),
        ]

    @property
    def is_centre_staff(self) -> bool:
        return self.kind == self.Kind.CENTRE

    def case_name(self, posts: Collection[str] = ()) -> str:
        """How this person appears in a case history, which the subject reads: their name and unit, or
        for centre staff the centre and those of ``posts`` (岗位) they hold; never the login name."""
        if self.provider_id:
            unit = self.provider.name  # type: ignore[union-attr]
        elif self.unit_id:
            unit = self.unit.name  # type: ignore[union-attr]
        elif self.is_centre_staff:
            held = [str(Role(r).label) for r in sorted(self.roles) if r in posts]
            unit = "信用中心" + (f"·{'、'.join(held)}" if held else "")
        else:
            unit = "信用主体"
        name = self.get_full_name()
        return f"{name}（{unit}）" if name else unit

    @property
    def roles(self) -> set[str]:
        """Centre sub-roles held by this account."""
        if not self.is_centre_staff:
            return set()
        cached: set[str] | None = getattr(self, "_roles", None)
        if cached is None:
            cached = set(self.role_assignments.values_list("role", flat=True))
            self._roles = cached
        return cached


class Role(models.TextChoices):
    """Sub-roles of centre staff (信用中心岗位)."""

    CATALOGUE_ADMIN = "catalogue_admin", "目录管理员"
    OBJECTION_HANDLER = "objection_handler", "异议处理员"
    CITY_REPAIR_REVIEWER = "city_repair_reviewer", "市级信用修复审核员"
    PROVINCIAL_REPAIR_REVIEWER = "provincial_repair_reviewer", "省级信用修复审核员"
    AUDITOR = "auditor", "审计员"


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = verbose_name_plural = "岗位 role"
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="accounts_roleassignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class AuthorisationGrant(models.Model):
    """A subject's authorisation (授权查询) for a querier to see its non-public information, for a
    purpose and a period. Revocable; never edited."""

    subject_code = models.CharField("授权主体代码", max_length=40)
    # The querier: an account, or anyone acting for an organisation or person with this code.
    grantee_user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    grantee_code = models.CharField("被授权方代码", max_length=40, blank=True)
    purpose = models.CharField("授权事由", max_length=200)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "查询授权 authorisation grant"
        constraints = [
            models.CheckConstraint(
                condition=Q(grantee_user__isnull=False) | ~Q(grantee_code=""),
                name="accounts_grant_has_grantee",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")), name="accounts_grant_period"
            ),
        ]
        indexes = [
            # "May this querier see this subject now?": by subject code first (docs/architecture.md, principle 6).
            models.Index(fields=["subject_code", "valid_until"], name="accounts_grant_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_code} → {self.grantee_user or self.grantee_code}"


class LoginAttempt(models.Model):
    """One sign-in attempt, for throttling (登录限制). Kept short-term; pruned by age."""

    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(null=True)
    at = models.DateTimeField()
    succeeded = models.BooleanField()

    class Meta:
        indexes = [
            # Recent failures for a user name, and for an address.
            models.Index(fields=["username", "at"], name="accounts_login_user_idx"),
            models.Index(fields=["ip", "at"], name="accounts_login_ip_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M} {'ok' if self.succeeded else 'failed'}"


class TotpDevice(models.Model):
    """A staff member's authenticator (TOTP, RFC 6238). Confirmed once a first code has been entered."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0, help_text="refuses replay of a code already used")

    class Meta:
        verbose_name = verbose_name_plural = "动态口令 TOTP device"

    def __str__(self) -> str:
        return f"TOTP {self.user}"


class BackupCode(models.Model):
    """A single-use backup code (备用码) for signing in without the authenticator. Only a keyed hash of
    the code is kept (``accounts.backup_codes``); the code itself is shown once, when issued."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="backup_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "备用码 backup code"
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="accounts_backupcode_unique"),
        ]

    def __str__(self) -> str:
        return f"backup code of {self.user} ({'used' if self.used_at else 'unused'})"


class Notification(models.Model):
    """An in-app message (站内消息) to one account, e.g. a step in the account's objection case.
    The same text goes by email where the account has an address (``accounts.notify``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "站内消息 notification"
        # The inbox and its unread count: one user's newest messages.
        indexes = [models.Index(fields=["user", "-created_at"], name="accounts_notification_inbox")]

    def __str__(self) -> str:
        return f"{self.user} · {self.title}"
