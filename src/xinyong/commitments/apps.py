from __future__ import annotations

from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "xinyong.commitments"
    label = "commitments"
    verbose_name = "信用承诺 commitments"
