"""The English catalogue: every string translated, none fuzzy, placeholders kept, the committed .mo
compiled from the committed .po, and an English request gets English pages.

The .po is read by a small parser rather than msgfmt or polib so the check needs nothing beyond the
project's own dependencies (CI has no GNU gettext)."""

from __future__ import annotations

import gettext
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


@dataclass
class Entry:
    msgid: str = ""
    msgstr: str = ""
    flags: set[str] = field(default_factory=set)
    line: int = 0
    location: str = ""  # the first "#:" reference, where makemessages writes them


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text.strip()[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """The active entries of a .po, which GNU gettext writes separated by blank lines; the header and
    obsolete (`#~`) entries are left out. The project uses no plural forms or contexts: an entry with
    one fails here rather than being misread."""
    entries: list[Entry] = []
    number = 1
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, part = Entry(line=number), ""
        for offset, line in enumerate(block.strip("\n").splitlines()):
            if line.startswith("#:") and not entry.location:
                entry.location = line[2:].split()[0] if line[2:].split() else ""
            elif line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            elif line.startswith(("msgid_plural", "msgstr[", "msgctxt")):
                raise AssertionError(f"{path}:{number + offset}: plurals and contexts are not checked here")
            elif line.startswith(("msgid ", "msgstr ")):
                part, _, value = line.partition(" ")
                setattr(entry, part, _unquote(value))
            elif line.startswith('"') and part in ("msgid", "msgstr"):
                setattr(entry, part, getattr(entry, part) + _unquote(line))
        if entry.msgid:
            entries.append(entry)
        number += block.count("\n") + 2
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    return parse_po(LC_MESSAGES / "django.po")


def test_it_reads_the_catalogue(catalogue: list[Entry]) -> None:
    by_id = {entry.msgid: entry for entry in catalogue}
    queue = next(entry for entry in catalogue if entry.msgid.startswith("有 %(tasks)s 个后台任务"))

    assert len(by_id) == len(catalogue) > 300
    assert by_id["登录"].msgstr == "Sign in"
    assert "python-format" in queue.flags and queue.msgstr.startswith("%(tasks)s background task(s)")
    assert "\n" not in queue.msgid and queue.msgid.endswith("运行和日志。")  # continuation lines joined


def test_it_has_no_untranslated_or_fuzzy_entry(catalogue: list[Entry]) -> None:
    problems = [
        f"line {e.line}: {'fuzzy' if 'fuzzy' in e.flags else 'untranslated'}: {e.msgid[:40]}"
        for e in catalogue
        if not e.msgstr or "fuzzy" in e.flags
    ]

    assert not problems, "locale/en django.po needs work (docs/recipes.md):\n" + "\n".join(problems)


def test_it_keeps_every_placeholder(catalogue: list[Entry]) -> None:
    broken = [
        f"line {e.line}: {e.msgid[:40]}"
        for e in catalogue
        if set(PLACEHOLDER.findall(e.msgid)) != set(PLACEHOLDER.findall(e.msgstr))
    ]

    assert not broken, "placeholders differ between msgid and msgstr:\n" + "\n".join(broken)


def test_it_ships_a_mo_compiled_from_the_po(catalogue: list[Entry]) -> None:
    mo = LC_MESSAGES / "django.mo"
    with mo.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    magic = mo.read_bytes()[:4]
    count = struct.unpack("<I" if magic == b"\xde\x12\x04\x95" else ">I", mo.read_bytes()[8:12])[0]

    stale = [f"line {e.line}: {e.msgid[:40]}" for e in catalogue if compiled.gettext(e.msgid) != e.msgstr]

    assert not stale, "django.mo is out of date; run compilemessages (docs/recipes.md):\n" + "\n".join(stale)
    assert count == len(catalogue) + 1  # + the header entry: no string the .po no longer has


def test_it_serves_english_to_a_browser_that_asks_for_it(client: Client, db: None) -> None:
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()

    assert '<html lang="en">' in english
    assert "Sign in" in english and "Credit China (demo city)" in english and "登录" not in english
    assert "登录" in chinese and "Sign in" not in chinese


def test_it_keeps_the_language_chosen_in_the_cookie(client: Client, db: None) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get("/publicity/penalties/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()

    assert "Administrative penalties" in page and "行政处罚公示" not in page
