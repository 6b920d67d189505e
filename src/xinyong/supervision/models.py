"""Supervision (监管): social credit warnings (社会信用预警) for now; grading and joint measures later."""

from __future__ import annotations

from django.db import models


class SocialCreditWarning(models.Model):
    """A public warning about a subject placed on three or more key-attention lists (重点关注名单) within
    twelve months, published for two years. Created automatically; withdrawn automatically (with a note)
    when the subject no longer meets the rule, never otherwise edited."""

    subject_code = models.CharField(max_length=40)
    issued_at = models.DateTimeField()
    publish_from = models.DateField()
    publish_until = models.DateField()
    lists = models.JSONField(
        help_text="the lists (名单类型) that triggered it; domain numbers before rule version 2"
    )
    records = models.JSONField(help_text="ids of the key-attention records it is based on")
    rule = models.CharField(max_length=80, help_text="id@version of the warning rule")
    publication_rule = models.CharField(max_length=80)
    explanation = models.CharField(max_length=300)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawal_note = models.CharField("撤回说明", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "社会信用预警 social credit warning"
        indexes = [
            models.Index(fields=["subject_code", "publish_until"], name="supervision_warning_subj_idx")
        ]

    def __str__(self) -> str:
        return f"{self.subject_code} {self.publish_from}"
