from __future__ import annotations

from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "xinyong.collection"
    label = "collection"
    verbose_name = "归集 collection"
