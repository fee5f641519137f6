"""The kinds of alert and the fixed words of every message (no template takes a name, a place, a
reference or any text somebody typed: only counts)."""

from __future__ import annotations

from django.db import models


class AlertKind(models.TextChoices):
    NEW_REFERRAL = "new_referral", "New referrals for your organisation"
    UNROUTED_REFERRAL = "unrouted_referral", "Referrals no service covers, waiting for your team"
    FIRST_CONTACT_DUE = "first_contact_due", "Referrals near the first-contact target"
    DEADLINE = "deadline", "Order and court deadlines on cases"
    EMERGENCY_ACCESS = "emergency_access", "Emergency access claims to review"
    ACCOUNT_CHANGE = "account_change", "Changes to your own account"


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "At once"
    DAILY = "daily", "In a daily summary"
    OFF = "off", "Never"


#: What a person gets until they choose: account changes at once, the rest in the daily summary.
DEFAULT_FREQUENCY = dict.fromkeys(AlertKind.values, Frequency.DAILY.value) | {
    AlertKind.ACCOUNT_CHANGE.value: Frequency.IMMEDIATE.value
}

#: One line per kind: (one, many). ``{n}`` is the only thing filled in.
LINES: dict[str, tuple[str, str]] = {
    AlertKind.NEW_REFERRAL: (
        "You have 1 new referral in Harbour.",
        "You have {n} new referrals in Harbour.",
    ),
    AlertKind.UNROUTED_REFERRAL: (
        "1 referral that no service covers is waiting for your team in Harbour.",
        "{n} referrals that no service covers are waiting for your team in Harbour.",
    ),
    AlertKind.FIRST_CONTACT_DUE: (
        "1 referral is near the first-contact target and nobody has tried to contact yet.",
        "{n} referrals are near the first-contact target and nobody has tried to contact yet.",
    ),
    AlertKind.DEADLINE: (
        "A deadline on one of your cases is coming up.",
        "Deadlines on {n} of your cases are coming up.",
    ),
    AlertKind.EMERGENCY_ACCESS: (
        "An emergency access claim needs your review.",
        "{n} emergency access claims need your review.",
    ),
    AlertKind.ACCOUNT_CHANGE: (
        "Something changed on your Harbour account (for example a new second factor or a new "
        "password). If it was not you, tell your manager at once.",
        "{n} things changed on your Harbour account (for example a new second factor or a new "
        "password). If it was not you, tell your manager at once.",
    ),
}

SUBJECT_ONE = {
    AlertKind.NEW_REFERRAL: "Harbour: new referral",
    AlertKind.UNROUTED_REFERRAL: "Harbour: a referral is waiting for your team",
    AlertKind.FIRST_CONTACT_DUE: "Harbour: first contact due",
    AlertKind.DEADLINE: "Harbour: a deadline is coming up",
    AlertKind.EMERGENCY_ACCESS: "Harbour: an emergency access claim to review",
    AlertKind.ACCOUNT_CHANGE: "Harbour: your account changed",
}
SUBJECT_MANY = "Harbour: things waiting for you"
SUBJECT_DIGEST = "Harbour: your daily summary"


def line(kind: str, count: int) -> str:
    one, many = LINES[kind]
    return one if count == 1 else many.format(n=count)


def compose(counts: dict[str, int], *, digest: bool, sign_in_url: str) -> tuple[str, str]:
    """Subject and plain-text body for these counts of each kind. Nothing else goes in."""
    kinds = [k for k in AlertKind.values if counts.get(k)]
    if digest:
        subject = SUBJECT_DIGEST
    elif len(kinds) == 1:
        subject = SUBJECT_ONE[AlertKind(kinds[0])]
    else:
        subject = SUBJECT_MANY
    lines = [line(k, counts[k]) for k in kinds]
    intro = "Since your last summary:\n\n" if digest else ""
    body = (
        intro
        + "\n".join(f"- {text}" if digest else text for text in lines)
        + f"\n\nSign in to Harbour to see more: {sign_in_url}\n\n"
        "This message says nothing about anyone on purpose. You chose to get it; change which "
        "alerts you get, and how often, in Harbour under Your account, then Alerts.\n"
    )
    return subject, body
