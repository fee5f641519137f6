"""Form errors follow the GOV.UK pattern: by the field, in the summary, and in the page title."""

from __future__ import annotations

import re
from typing import Any


def test_an_error_is_shown_by_its_field_and_linked_from_the_summary(as_user: Any) -> None:
    page = (
        as_user("alice")
        .post("/cases/emergency-access/", {"reference": "", "reason": ""})
        .content.decode()
    )
    assert "govuk-error-summary" in page
    link = re.search(r'govuk-error-summary__list">\s*<li><a href="#([^"]+)"', page)
    assert link is not None
    field_id = link.group(1)
    assert f'id="{field_id}' in page
    assert re.search(r'id="[^"]+-error" class="govuk-error-message"', page)
    assert "govuk-form-group--error" in page


def test_a_page_with_errors_says_so_first_in_its_title(as_user: Any) -> None:
    client = as_user("alice")
    fine = client.get("/cases/emergency-access/").content.decode()
    failed = client.post(
        "/cases/emergency-access/", {"reference": "", "reason": ""}
    ).content.decode()
    assert "<title>Error: " not in fine
    assert "<title>Error: " in failed
