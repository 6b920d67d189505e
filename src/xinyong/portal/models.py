"""What centre staff publish on the public site beside the credit data: notices (通知公告) and policies
(政策法规). Written in the admin by catalogue administrators, every save on the audit trail
(``accounts.admin_base.AuditedAdmin``)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Notice(models.Model):
    class Kind(models.TextChoices):
        NOTICE = "notice", "通知公告"
        POLICY = "policy", "政策法规"

    kind = models.CharField("栏目", max_length=10, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    source = models.CharField("发布机关或文号", max_length=200, blank=True)
    body = models.TextField("正文", help_text="纯文本；空行分段")
    published_on = models.DateField("发布日期")
    is_published = models.BooleanField("公开", default=True, help_text="取消勾选即从网站撤下，记录保留")

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = verbose_name_plural = "通知公告与政策法规 notice"
        indexes = [
            # The public columns and the home page: published items of a kind, newest first.
            models.Index(
                fields=["kind", "-published_on"],
                name="portal_notice_public_idx",
                condition=Q(is_published=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title
