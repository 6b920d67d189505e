"""Audit actions are registered like error codes: docs/audit.md lists exactly the registry, and the
trail refuses an action that is not in it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

from xinyong.audit import actions
from xinyong.audit.models import AuditEntry
from xinyong.audit.services import Actor, record
from xinyong.records.models import Overlay

PACKAGE = Path(__file__).resolve().parents[2]


def _documented() -> dict[str, str]:
    page = (settings.REPO_DIR / "docs" / "audit.md").read_text(encoding="utf-8")
    section = page.split("## Actions (操作)", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `([^`]+)` \| (.+?) \|$", section, flags=re.MULTILINE))


def test_it_documents_every_registered_action_and_no_other() -> None:
    registered = {name: action.meaning for name, action in actions.REGISTRY.items()}
    assert len(registered) > 50
    assert _documented() == registered


def _literal_actions() -> list[tuple[str, str]]:
    """Every string literal given as ``action=`` anywhere in the code (tests and migrations aside)."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg == "action" and isinstance(value, ast.Constant) and "." in str(value.value):
                    found.append((str(path.relative_to(PACKAGE)), str(value.value)))
    return found


def test_it_finds_every_literal_action_in_the_code_registered() -> None:
    literals = _literal_actions()
    assert len(literals) > 20
    assert [(path, name) for path, name in literals if name not in actions.REGISTRY] == []


def test_it_registers_every_overlay_kind_and_its_end() -> None:
    for kind in Overlay.Kind:
        actions.check(f"records.overlay.{kind}")
        actions.check(f"records.overlay.{kind}.ended")


@pytest.mark.django_db
def test_it_refuses_an_unregistered_action_before_writing() -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(actions.UnknownAuditAction, match=r"report\.issue"):
        record(actor=Actor.system("test"), action="report.issue")
    assert AuditEntry.objects.count() == before
    record(actor=Actor.system("test"), action="reports.issue")
    assert AuditEntry.objects.count() == before + 1


def test_it_refuses_to_register_an_action_twice() -> None:
    with pytest.raises(ValueError, match="twice"):
        actions.register("audit.export", "导出审计日志")
