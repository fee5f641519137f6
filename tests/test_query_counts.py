"""assert_query_count is exact: one query too many or too few fails, naming the queries."""

from __future__ import annotations

import pytest

from harbour.accounts.models import Organisation
from tests.conftest import assert_query_count

pytestmark = pytest.mark.django_db


def test_the_exact_count_passes():
    with assert_query_count(2):
        list(Organisation.objects.all())
        Organisation.objects.count()


@pytest.mark.parametrize("expected", [1, 3])
def test_one_more_or_one_fewer_fails_and_lists_the_queries(expected):
    expected_failure = pytest.raises(AssertionError, match=f"expected {expected} queries, 2 ran")
    with expected_failure as failure, assert_query_count(expected):
        list(Organisation.objects.all())
        Organisation.objects.count()
    assert "COUNT(*)" in str(failure.value)
