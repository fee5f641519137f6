"""Dates of birth must be plausible everywhere they are entered: not in the future, not more than
120 years ago (public self-referral, the case client record; the police API in tests/api)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from tests.access.expect_public import SELF_REFERRAL

from harbour.core.validators import validate_date_of_birth

TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)
LONG_AGO = TODAY.replace(year=TODAY.year - 121)


@pytest.mark.parametrize("value", [TOMORROW, LONG_AGO, datetime.date(1066, 10, 14)])
def test_implausible_dates_of_birth_are_refused(value):
    with pytest.raises(ValidationError):
        validate_date_of_birth(value)


@pytest.mark.parametrize(
    "value", [TODAY, datetime.date(1985, 3, 27), TODAY.replace(year=TODAY.year - 119)]
)
def test_plausible_dates_of_birth_are_accepted(value):
    validate_date_of_birth(value)


@pytest.mark.django_db
def test_the_public_self_referral_refuses_a_future_date_of_birth(orgs):
    data = {**SELF_REFERRAL, "date_of_birth": TOMORROW.strftime("%d/%m/%Y")}
    response = Client().post("/public/self-referral/", data)
    assert response.status_code == 200
    assert "date_of_birth" in response.context["form"].errors


@pytest.mark.django_db
def test_the_case_client_record_refuses_a_future_date_of_birth(as_user, case_a):
    url = f"/cases/{case_a.public_id}/client/"
    client = as_user("alice")
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["date_of_birth"] = TOMORROW.isoformat()
    response = client.post(url, data)
    assert response.status_code == 200
    assert "date_of_birth" in response.context["form"].errors
