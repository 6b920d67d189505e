"""The benchmark scripts run from ``bench/``, which Python puts first on ``sys.path``: a script named like a
standard-library module (``warnings.py``) would be imported in its place by every other script there."""

from __future__ import annotations

import sys

from django.conf import settings


def test_no_bench_script_shadows_a_standard_library_module() -> None:
    scripts = sorted((settings.REPO_DIR / "bench").glob("*.py"))
    assert scripts, "bench/ has no scripts"
    shadowing = [path.name for path in scripts if path.stem in sys.stdlib_module_names]
    assert not shadowing, f"rename these bench scripts, they hide standard-library modules: {shadowing}"
