"""The audit trail (审计日志): an append-only hash chain of every sensitive read and every state change.

Each entry's hash covers its content and the previous entry's hash, so altering, removing or
reordering any entry breaks the chain from that point (``xinyong audit verify``). The database refuses
UPDATE and DELETE on entries (triggers in migration 0002). ``AuditHead`` holds the chain's tip; writers
lock it, which serialises appends and lets verification notice a truncated tail.
"""

from __future__ import annotations

from django.db import models


class AuditEntry(models.Model):
    class ActorType(models.TextChoices):
        USER = "user", "账号"
        PROVIDER = "provider", "信息提供单位系统"
        SYSTEM = "system", "系统"
        ANONYMOUS = "anonymous", "公众"

    seq = models.BigIntegerField("序号", unique=True)
    at = models.DateTimeField()
    actor_type = models.CharField(max_length=10, choices=ActorType.choices)
    actor_id = models.CharField(max_length=64, blank=True)
    actor_name = models.CharField(max_length=200, blank=True)
    unit = models.CharField("单位", max_length=200, blank=True)
    role = models.CharField("角色", max_length=200, blank=True)
    purpose = models.CharField("查询事由", max_length=200, blank=True)
    subject_code = models.CharField("信用主体代码", max_length=40, blank=True)
    action = models.CharField("操作", max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    result_fingerprint = models.CharField("结果指纹", max_length=64, blank=True)
    detail = models.TextField(blank=True, help_text="JSON text")
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "审计日志 audit entry"
        indexes = [
            # "Who looked at my data?" — a subject's page lists reads of its non-public information.
            models.Index(fields=["subject_code", "at"], name="audit_entry_subject_idx"),
            models.Index(fields=["at"], name="audit_entry_at_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditHead(models.Model):
    """The single row holding the chain's tip (id = 1)."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "审计链头 audit head"

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"
