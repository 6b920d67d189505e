"""People who sign in. Roles beyond "provider staff" and "centre staff" arrive with the identity issue."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from xinyong.catalog.models import Provider


class User(AbstractUser):
    """A person with an account. ``provider`` is set for the staff of a data-providing unit; centre
    staff (信用中心) have ``is_staff``."""

    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name="所属信息提供单位",
    )

    @property
    def is_centre_staff(self) -> bool:
        return self.is_staff
