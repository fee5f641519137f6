"""Raising alerts, and sending them (at once, or in the daily summary) from background tasks.

``raise_alert`` runs inside the transaction of the change it reports (a referral routed, a reminder
written): it stores one ``Alert`` per person who chose that kind, and after the commit queues a task
to send the at-once ones. The task composes the message from counts only, sends it, and writes the
outcome (kinds, counts, the person's id: never the message) to the audit trail. A failed send is
tried again later, ``HARBOUR_ALERT_ATTEMPTS`` times in all.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from harbour.accounts.models import User
from harbour.alerts.kinds import AlertKind, Frequency, compose
from harbour.alerts.models import Alert, AlertSettings
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb

log = logging.getLogger("harbour.alerts")

#: An alert claimed by a worker that died while sending is offered again after this long.
STALE_CLAIM = datetime.timedelta(minutes=30)


def sign_in_url() -> str:
    return f"{settings.HARBOUR_SITE_URL}{settings.LOGIN_URL_PATH}"


def raise_alert(kind: str, users: Iterable[User], *, key: str) -> int:
    """Store an alert of ``kind`` for each of ``users`` who chose it and gave an address.

    ``key`` names the event, so running the same trigger twice alerts nobody twice. Returns how
    many alerts were stored."""
    kind = AlertKind(kind).value
    # One query: the settings of those of ``users`` who are active (a queryset stays a subquery).
    ids: Any = users if isinstance(users, QuerySet) else [u.pk for u in users]
    chosen = list(
        AlertSettings.objects.filter(user__in=ids, user__is_active=True)
        .select_related("user")
        .only("user_id", "email", "choices", "user__is_active")
    )
    stored: list[Alert] = []
    for prefs in chosen:
        user = prefs.user
        if not prefs.email:
            continue
        frequency = prefs.frequency(kind)
        if frequency == Frequency.OFF:
            continue
        try:
            with transaction.atomic():
                alert, created = Alert.objects.get_or_create(
                    user=user,
                    key=key[:120],
                    defaults={"kind": kind, "digest": frequency == Frequency.DAILY},
                )
        except IntegrityError:  # the same event raised at the same moment elsewhere
            continue
        if created:
            stored.append(alert)
    immediate = sorted({a.user_id for a in stored if not a.digest})
    if immediate:

        def send_after_commit() -> None:
            for user_id in immediate:
                enqueue_send(user_id)

        transaction.on_commit(send_after_commit)
    return len(stored)


def enqueue_send(user_id: int, *, digest: bool = False, delay: float = 0) -> None:
    from harbour.alerts.tasks import send_alerts

    task = send_alerts
    if delay:
        task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    task.enqueue(user_id, digest)


def _claim(user_id: int, *, digest: bool) -> list[Alert]:
    now = timezone.now()
    with transaction.atomic():
        waiting = (
            Alert.objects.select_for_update()
            .filter(user_id=user_id, digest=digest)
            .filter(
                Q(status=Alert.Status.PENDING)
                | Q(status=Alert.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
            )
        )
        alerts = list(waiting.order_by("pk"))
        Alert.objects.filter(pk__in=[a.pk for a in alerts]).update(
            status=Alert.Status.SENDING, claimed_at=now
        )
    return alerts


def send_waiting(user_id: int, *, digest: bool = False) -> str:
    """Send this person's waiting alerts (the at-once ones, or the daily summary) in one message.

    Returns what happened: "nothing", "sent", "retry" or "failed"."""
    alerts = _claim(user_id, digest=digest)
    if not alerts:
        return "nothing"
    ids = [a.pk for a in alerts]
    user = User.objects.filter(pk=user_id).first()
    prefs = AlertSettings.objects.filter(user_id=user_id).first()
    if user is None or not user.is_active or prefs is None or not prefs.email:
        # Nobody to send to any more (disabled, or the address was removed): they lapse unsent.
        Alert.objects.filter(pk__in=ids).update(status=Alert.Status.FAILED)
        _audit(AuditVerb.ALERT_FAILED, user_id, alerts, digest, reason="no address", attempts=0)
        return "failed"
    counts = Counter(a.kind for a in alerts)
    subject, body = compose(dict(counts), digest=digest, sign_in_url=sign_in_url())
    attempts = max(a.attempts for a in alerts) + 1
    try:
        EmailMessage(subject, body, to=[prefs.email]).send(fail_silently=False)
    except Exception as exc:  # any transport failure: SMTP, DNS, a refused address
        return _failed(user_id, alerts, digest, attempts, type(exc).__name__)
    with transaction.atomic():
        Alert.objects.filter(pk__in=ids).update(
            status=Alert.Status.SENT, sent_at=timezone.now(), attempts=attempts
        )
        _audit(AuditVerb.ALERT_SENT, user_id, alerts, digest, attempts=attempts)
    return "sent"


def _failed(user_id: int, alerts: list[Alert], digest: bool, attempts: int, error: str) -> str:
    ids = [a.pk for a in alerts]
    log.warning(
        "alert not sent",
        extra={"event": "alert_not_sent", "user_id": user_id, "attempt": attempts, "error": error},
    )
    if attempts >= settings.HARBOUR_ALERT_ATTEMPTS:
        with transaction.atomic():
            Alert.objects.filter(pk__in=ids).update(status=Alert.Status.FAILED, attempts=attempts)
            _audit(AuditVerb.ALERT_FAILED, user_id, alerts, digest, reason=error, attempts=attempts)
        return "failed"
    Alert.objects.filter(pk__in=ids).update(
        status=Alert.Status.PENDING, attempts=attempts, claimed_at=None
    )
    # Back off: the retry interval, doubled for each failure so far.
    delay = settings.HARBOUR_ALERT_RETRY_SECONDS * 2 ** (attempts - 1)
    enqueue_send(user_id, digest=digest, delay=delay)
    return "retry"


def _audit(
    verb: AuditVerb,
    user_id: int,
    alerts: list[Alert],
    digest: bool,
    *,
    attempts: int,
    reason: str = "",
) -> None:
    payload: dict[str, Any] = {
        "kinds": dict(sorted(Counter(a.kind for a in alerts).items())),
        "digest": digest,
        "attempts": attempts,
    }
    if reason:
        payload["reason"] = reason
    record(
        actor=None,
        username="harbour alerts",
        verb=verb,
        object_type="accounts.user",
        object_id=str(user_id),
        payload=payload,
    )


def queue_digests() -> int:
    """Queue one daily-summary task per person with anything waiting. Returns how many."""
    people = sorted(
        set(
            Alert.objects.filter(digest=True, status=Alert.Status.PENDING).values_list(
                "user_id", flat=True
            )
        )
    )
    for user_id in people:
        enqueue_send(user_id, digest=True)
    return len(people)


def sweep(now: datetime.datetime | None = None) -> dict[str, int]:
    """The alerts no single change raises, for a scheduler (``harbour alerts daily``): referrals
    whose first-contact target falls within the next day with no contact tried, and referrals no
    service covers still waiting for their triage team. Idempotent for the day."""
    from harbour.core import policy
    from harbour.coverage.models import UnroutedReferral
    from harbour.referrals.models import Referral

    now = now or timezone.now()
    day = timezone.localdate(now).isoformat()
    near = (
        Referral.objects.system("alerts: referrals near the first-contact target")
        .filter(
            status__in=Referral.OPEN_STATUSES,
            first_contact_at__isnull=True,
            routed_to__isnull=False,
            due_by__gt=now,
            due_by__lte=now + datetime.timedelta(days=1),
        )
        .values_list("pk", "routed_to_id")
    )
    raised = Counter[str]()
    for referral_id, org_id in near:
        people = policy.alert_recipients(AlertKind.FIRST_CONTACT_DUE, org_id)
        raised["first_contact_due"] += raise_alert(
            AlertKind.FIRST_CONTACT_DUE, people, key=f"first-contact:{referral_id}"
        )
    waiting = (
        UnroutedReferral.objects.system("alerts: referrals waiting for a triage team")
        .filter(
            team__isnull=False,
            referral__status__in=Referral.OPEN_STATUSES,
            referral__routed_to_id=F("team_id"),
            created_at__lte=now - datetime.timedelta(hours=12),
        )
        .values_list("pk", "team_id")
    )
    for unrouted_id, team_id in waiting:
        people = policy.alert_recipients(AlertKind.UNROUTED_REFERRAL, team_id)
        raised["unrouted_referral"] += raise_alert(
            AlertKind.UNROUTED_REFERRAL, people, key=f"unrouted:{unrouted_id}:{day}"
        )
    return {kind: n for kind, n in raised.items() if n}


def new_test_key() -> str:
    import secrets

    return secrets.token_hex(8)
