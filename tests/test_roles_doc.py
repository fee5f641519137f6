"""docs/roles.md describes only pages that exist, and the roles with no pages yet have none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

from harbour.core import policy

ROLES_DOC = Path(__file__).resolve().parents[1] / "docs/roles.md"
NAMES = sorted(set(re.findall(r"`([a-z_]+:[a-z_]+)`", ROLES_DOC.read_text(encoding="utf-8"))))


def test_the_roles_page_names_pages():
    assert len(NAMES) > 20


@pytest.mark.parametrize("name", NAMES)
def test_every_page_named_in_the_roles_doc_exists(name):
    try:
        reverse(name)
    except NoReverseMatch as missing:
        # A page that takes arguments still has to exist under this name.
        assert "with no arguments not found" in str(missing) or "arguments '()'" in str(missing), (
            str(missing)
        )


@pytest.mark.django_db
def test_the_commissioners_office_has_only_home_figures_and_their_account(cast):
    assert [name for name, _label in policy.navigation_for(cast["cora"])] == [
        "core:home",
        "reporting:dashboard",
        "accounts:security",
    ]


@pytest.mark.django_db
def test_the_trainer_and_the_programme_practitioner_have_their_own_pages(cast):
    assert [name for name, _label in policy.navigation_for(cast["tariq"])] == [
        "core:home",
        "training:queue",
        "partners:list",
        "accounts:security",
    ]
    assert [name for name, _label in policy.navigation_for(cast["priya"])] == [
        "core:home",
        "programmes:participants",
        "accounts:security",
    ]
