"""The abstract case event: one line of a case history (办理记录), with one set of field names.

A workflow's concrete event table subclasses ``CaseEvent``, adds the foreign key to its case with
``related_name="events"`` and is made append-only in a migration (``core.append_only``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CaseEvent(models.Model):
    subject_code = models.CharField(max_length=40)
    at = models.DateTimeField()
    # Null for a job or a provider's system; ``actor_name`` says who then.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=200)  # the person and unit, or the job's name
    action = models.CharField(max_length=40)  # a transition's name, or a step outside the machine
    label = models.CharField(max_length=60)  # Chinese, as the case page shows it
    from_state = models.CharField("办理前状态", max_length=20, blank=True)
    to_state = models.CharField("办理后状态", max_length=20, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.label}"
