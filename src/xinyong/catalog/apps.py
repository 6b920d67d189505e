from __future__ import annotations

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "xinyong.catalog"
    label = "catalog"
    verbose_name = "目录 catalogue"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from xinyong.catalog.seeding import seed_after_migrate

        post_migrate.connect(seed_after_migrate, sender=self)
