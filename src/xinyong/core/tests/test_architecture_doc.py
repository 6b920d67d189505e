"""docs/architecture.md maps every app and draws the layers the import contract enforces."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from django.conf import settings

PACKAGE = Path(__file__).resolve().parents[2]


def _code_block_after(heading: str) -> list[str]:
    document = (settings.REPO_DIR / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = document.split(f"\n## {heading}\n", 1)[1]
    return section.split("```", 2)[1].splitlines()[1:]


def _apps() -> set[str]:
    """Every folder of the package: the apps, the case kit, the demo and the translations."""
    return {path.name for path in PACKAGE.iterdir() if path.is_dir() and not path.name.startswith("_")}


def test_it_maps_every_app() -> None:
    mapped = {
        m.group(1) for line in _code_block_after("Repository map") if (m := re.match(r"  (\w+)/ ", line))
    }
    assert len(_apps()) > 15
    assert sorted(_apps() - mapped) == []
    assert sorted(mapped - _apps()) == []


def test_it_draws_the_layers_the_contract_enforces() -> None:
    # Each line: the layer's apps joined by " : ", then at least two spaces and what the layer is for.
    drawn = [re.split(r"\s{2,}", line)[0] for line in _code_block_after("Layers") if line.strip()]
    pyproject = tomllib.loads((settings.REPO_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in pyproject["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    assert drawn == contract["layers"]


def test_it_puts_every_app_in_one_layer() -> None:
    pyproject = tomllib.loads((settings.REPO_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in pyproject["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    layered = [app.strip() for layer in contract["layers"] for app in re.split(r"[:|]", layer)]
    layered = [app for app in layered if not app.startswith("(")]  # planned apps, optional until they exist
    # locale holds translations only, no Python to layer.
    assert sorted(layered) == sorted(_apps() - {"locale"})
