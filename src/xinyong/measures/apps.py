from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _seed(sender: Any, **kwargs: Any) -> None:
    from xinyong.measures.seeding import seed_measures

    seed_measures()


class MeasuresConfig(AppConfig):
    name = "xinyong.measures"
    label = "measures"
    verbose_name = "联合奖惩 measures"

    def ready(self) -> None:
        # Subscribes to intake's ``rows_stored`` (collection is a layer below and may not call us): new
        # registrations and list entries refresh who held which role in an organisation.
        from xinyong.measures import receivers  # noqa: F401

        post_migrate.connect(_seed, sender=self, dispatch_uid="measures.seed")
