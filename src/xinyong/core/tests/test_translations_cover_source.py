"""Every string a template or Python module marks for translation has an English entry in the
committed catalogue.

Django's ``makemessages`` extracts the msgids from a copy of the source tree into a temporary
catalogue (never the committed one: it would rewrite it whole, and every branch would conflict); the
test compares them with the committed ``django.po``. A string added without its English pair fails
here, naming the file it came from. Needs GNU gettext's ``xgettext`` (``scripts/test.sh`` installs it).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from xinyong.core.tests.test_translations import LC_MESSAGES, parse_po

SOURCE = Path(settings.BASE_DIR)


def _source_copy(target: Path) -> None:
    """The project's Python modules and templates, without its catalogue or tests (tests' strings are
    never shown to anyone)."""
    for path in SOURCE.rglob("*"):
        if path.suffix not in (".py", ".html", ".txt") or "tests" in path.parts or "locale" in path.parts:
            continue
        copy = target / path.relative_to(SOURCE)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_every_marked_string_has_an_english_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree, catalogue = tmp_path / "xinyong", tmp_path / "locale"
    _source_copy(tree)
    catalogue.mkdir()
    monkeypatch.chdir(tree)
    with override_settings(LOCALE_PATHS=[catalogue]):
        call_command("makemessages", locale=["en"], domain="django", no_obsolete=True, verbosity=0)

    extracted = parse_po(catalogue / "en" / "LC_MESSAGES" / "django.po")
    committed = {entry.msgid for entry in parse_po(LC_MESSAGES / "django.po")}
    missing = [f"{entry.location}: {entry.msgid[:60]}" for entry in extracted if entry.msgid not in committed]

    assert not missing, (
        "strings without an English entry: append msgid/msgstr pairs to locale/en/LC_MESSAGES/django.po "
        "and run compilemessages (docs/recipes.md):\n" + "\n".join(missing)
    )
