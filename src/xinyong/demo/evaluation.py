"""The demo city's credit evaluation: one run over every subject, so the staff distribution, the
company's own grade (account qiye) and the spot-check lists have something to show."""

from __future__ import annotations

from collections import Counter

from xinyong.evaluation.models import Evaluation
from xinyong.evaluation.services import evaluate


def seed_evaluation() -> dict[str, int]:
    """Evaluate every subject today; the number of subjects per grade."""
    evaluate()
    return dict(
        sorted(Counter(Evaluation.objects.filter(current=True).values_list("grade", flat=True)).items())
    )
