"""Helpers shared by the case workspace tests."""

from __future__ import annotations

import re
from typing import Any

import pytest

from harbour.cases.models import Case


def form_state(html: str) -> dict[str, str]:
    """The hidden version and fingerprint an edit form was rendered with."""
    found = {}
    for name in ("version", "seen"):
        match = re.search(rf'name="{name}" value="([^"]*)"', html)
        found[name] = match.group(1) if match else ""
    return found


@pytest.fixture
def url(case_a: Case) -> Any:
    def make(suffix: str = "", case: Case | None = None) -> str:
        return f"/cases/{(case or case_a).public_id}/{suffix}"

    return make
