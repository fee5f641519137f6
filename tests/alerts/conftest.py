from __future__ import annotations

import pytest

from harbour.alerts.models import AlertSettings

#: What a referral or a case carries that no alert may ever repeat.
NAME = "Philippa"
FAMILY = "Wolstencroft"
PHONE = "07700 900456"
POSTCODE = "NS1 7QX"


def choose(user, frequency: str = "immediate", email: str | None = None, **kinds: str) -> None:
    from harbour.alerts.kinds import AlertKind

    choices = dict.fromkeys(AlertKind.values, frequency) | kinds
    AlertSettings.objects.update_or_create(
        user=user,
        defaults={"email": email or f"{user.username}@work.example", "choices": choices},
    )


def personal_data(extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    return (NAME, FAMILY, PHONE, PHONE.replace(" ", ""), POSTCODE, "NS1", *extra)


def assert_says_nothing_about_anyone(messages, extra: tuple[str, ...] = ()) -> None:
    assert messages, "no message was sent"
    for message in messages:
        text = f"{message.subject}\n{message.body}"
        for value in personal_data(extra):
            assert value.lower() not in text.lower(), f"{value!r} is in an alert"
        assert "/accounts/sign-in/" in message.body


@pytest.fixture
def referral_fields() -> dict[str, object]:
    return {
        "given_name": NAME,
        "family_name": FAMILY,
        "phone": PHONE,
        "postcode": POSTCODE,
        "safe_call": True,
    }
