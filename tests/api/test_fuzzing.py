"""API fuzzing: schemathesis reads the OpenAPI description the API serves and throws generated
requests (valid and invalid bodies, odd ids, missing and wrong tokens) at every operation. No
answer may be a server error, and every answer must match the description (status documented,
body of the documented shape, content type).

Every schemathesis check runs except "schema-valid data is accepted": the API's validation is
stricter than a JSON schema can say (a postcode that exists, at least one safe way to make
contact), and a 400 naming the field is the right answer there. Invalid data must still be
refused (negative data rejection), and every answer must conform.

Bounded: ``HARBOUR_FUZZ_EXAMPLES`` examples per operation (default 25, a few seconds); raise it for a
longer hunt, e.g. ``HARBOUR_FUZZ_EXAMPLES=2000 .venv/bin/pytest tests/api/test_fuzzing.py``.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from harbour.api.models import ApiToken
from harbour.wsgi import application

EXAMPLES = int(os.environ.get("HARBOUR_FUZZ_EXAMPLES", "25"))


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Any:
    """Requests here go through the WSGI app itself, not Django's test client, so (as the test
    client does) stop each request from closing the test's database connection (PostgreSQL)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(orgs: dict[str, Any]) -> str:
    return ApiToken.issue(orgs["police"], "fuzz")[1]


def fuzz(headers: dict[str, str], examples: int) -> list[str]:
    """Run generated requests against every operation of the served description."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 2
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples,
            deadline=None,
            derandomize=True,  # the same examples every run: a failure reproduces
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def one(case: Any) -> None:
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        one()
    return [f"{o.method.upper()} {o.path}" for o in operations]


def test_no_generated_request_gets_a_server_error_or_an_answer_outside_the_description(
    token: str,
) -> None:
    done = fuzz({"Authorization": f"Bearer {token}"}, EXAMPLES)
    assert "POST /referrals" in done


def test_without_a_token_every_operation_answers_inside_the_description(db: None) -> None:
    fuzz({}, max(5, EXAMPLES // 5))
