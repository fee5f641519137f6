"""What raises an alert. Every change an alert reports is already written to the audit trail in the
transaction that makes it, so most triggers listen for those audit rows: the alert is stored in the
same transaction and sent after it commits. Deadline reminders (``harbour reminders``) raise theirs
when each reminder row is written."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from harbour.alerts.kinds import AlertKind
from harbour.audit.verbs import AuditVerb

#: Audit verbs that are a change to the account they name, told to its owner.
ACCOUNT_CHANGES = frozenset(
    {
        AuditVerb.AUTH_MFA_ENROLLED,
        AuditVerb.AUTH_PASSWORD_CHANGED,
        AuditVerb.AUTH_RECOVERY_CODES_REPLACED,
        AuditVerb.AUTH_PASSKEY_ADDED,
        AuditVerb.AUTH_PASSKEY_REMOVED,
        AuditVerb.AUTH_AUTHENTICATOR_REMOVED,
        AuditVerb.USER_MFA_RESET,
    }
)
WATCHED = ACCOUNT_CHANGES | {
    AuditVerb.REFERRAL_ROUTED,
    AuditVerb.REFERRAL_REROUTED,
    AuditVerb.REFERRAL_UNROUTED,
    AuditVerb.CASE_BREAK_GLASS,
    AuditVerb.JUSTICE_LINK_DISCLOSED,
}


def connect() -> None:
    from harbour.audit.models import AuditEvent
    from harbour.justice.models import Reminder

    post_save.connect(on_audit_event, sender=AuditEvent, dispatch_uid="alerts-audit")
    post_save.connect(on_reminder, sender=Reminder, dispatch_uid="alerts-reminder")


def on_audit_event(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created or instance.verb not in WATCHED:
        return
    from harbour.accounts.models import User
    from harbour.alerts.services import raise_alert
    from harbour.core import policy

    verb = AuditVerb(instance.verb)
    key = f"audit:{instance.seq}"
    payload = instance.payload or {}
    if verb in ACCOUNT_CHANGES:
        if instance.object_type == "accounts.user" and instance.object_id.isdigit():
            raise_alert(
                AlertKind.ACCOUNT_CHANGE,
                User.objects.filter(pk=int(instance.object_id)),
                key=key,
            )
    elif verb in (AuditVerb.REFERRAL_ROUTED, AuditVerb.REFERRAL_REROUTED):
        org_id = payload.get("to_organisation")
        people = policy.alert_recipients(AlertKind.NEW_REFERRAL, org_id)
        if instance.actor_id:  # whoever sent it on knows already
            people = people.exclude(pk=instance.actor_id)
        raise_alert(AlertKind.NEW_REFERRAL, people, key=key)
    elif verb == AuditVerb.REFERRAL_UNROUTED:
        team_id = payload.get("triage_team")
        raise_alert(
            AlertKind.UNROUTED_REFERRAL,
            policy.alert_recipients(AlertKind.UNROUTED_REFERRAL, team_id),
            key=key,
        )
    elif verb == AuditVerb.CASE_BREAK_GLASS:
        raise_alert(
            AlertKind.EMERGENCY_ACCESS,
            policy.alert_recipients(AlertKind.EMERGENCY_ACCESS, instance.organisation_id),
            key=key,
        )
    elif verb == AuditVerb.JUSTICE_LINK_DISCLOSED:
        # Reviewed by the managers of the organisation whose case was opened.
        from harbour.cases.models import Case

        org_id = (
            Case.objects.system("alerts: who reviews an emergency disclosure")
            .filter(public_id=instance.object_id)
            .values_list("organisation_id", flat=True)
            .first()
        )
        raise_alert(
            AlertKind.EMERGENCY_ACCESS,
            policy.alert_recipients(AlertKind.EMERGENCY_ACCESS, org_id),
            key=key,
        )


def on_reminder(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    from harbour.accounts.models import User
    from harbour.alerts.services import raise_alert

    raise_alert(
        AlertKind.DEADLINE,
        User.objects.filter(pk=instance.user_id),
        key=f"reminder:{instance.pk}",
    )
