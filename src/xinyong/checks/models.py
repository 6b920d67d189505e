"""Batch checks (信用互查互认): a unit checks a file of subjects at once; see docs/measures.md."""

from __future__ import annotations
