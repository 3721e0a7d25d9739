"""Placeholder until the family lands."""

from __future__ import annotations

from driftcheck.rules.base import Rule

RULES: list[type[Rule]] = []
