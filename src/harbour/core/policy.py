"""The one place that decides who may see and do what.

Views never test roles themselves: they call an access helper (``harbour.<app>.access``), which asks
this module. Querysets of case data are narrowed by ``scope``; single-object decisions are the
``can_*`` functions. Anything not granted here is refused, and a refusal looks like "not found".

Why unscoped: the policy is what scopes; to decide on one record it must read the facts about it
(allocation, named users, grants) without a scope of its own.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from django.db import connection, models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from harbour.accounts.models import CASEWORKER_ROLES, Organisation, Role, User

if TYPE_CHECKING:
    from harbour.cases.models import Case


def _staff(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.organisation_id is not None
        and user.organisation.is_active
    )


def is_provider_caseworker(user: Any) -> bool:
    # A platform operator (superuser) never holds a case role, whatever the database says.
    return (
        _staff(user)
        and not user.is_superuser
        and user.organisation.kind == Organisation.Kind.PROVIDER
        and user.role in (Role.ADVOCATE, Role.MANAGER)
    )


def is_provider_manager(user: Any) -> bool:
    return is_provider_caseworker(user) and user.role == Role.MANAGER


def is_org_admin(user: Any) -> bool:
    return _staff(user) and user.role == Role.ADMIN


def has_own_caseload(user: Any) -> bool:
    """Advocates work the cases allocated to them; managers oversee the whole organisation's."""
    return is_provider_caseworker(user) and user.role == Role.ADVOCATE


def caseworkers_of(organisation: Organisation | int | None) -> models.QuerySet[User]:
    """Active staff who may hold case work: own an action, take a new case, be named on one."""
    return User.objects.filter(
        organisation=organisation, is_active=True, role__in=(Role.ADVOCATE, Role.MANAGER)
    )


def advocates_of(organisation: Organisation | int | None) -> models.QuerySet[User]:
    """Active advocates: whom a case can be allocated to."""
    return User.objects.filter(organisation=organisation, is_active=True, role=Role.ADVOCATE)


def active_managers() -> models.QuerySet[User]:
    """Every active provider manager: who is reminded of deadlines on unallocated cases."""
    return User.objects.filter(
        is_active=True, role=Role.MANAGER, organisation__kind=Organisation.Kind.PROVIDER
    )


# Querysets ----------------------------------------------------------------------------------------


def _named_on_id(user_id: int) -> RawSQL:
    """The ids of the cases the user ``user_id`` is named on (restricted cases), as a subquery.

    Written as SQL from the models' own table and column names rather than as a queryset: every
    scoped query of every page carries this subquery (and ``_granted_to``'s), and Django spent
    about 0.4 ms of each page's query building resolving and compiling the two querysets again
    (issue #8). The conditions are the same.
    """
    from harbour.cases.models import Case  # models -> core.scoping -> policy: a cycle

    through = Case.named_users.through._meta
    case_id, user_column = through.get_field("case").column, through.get_field("user").column
    return RawSQL(  # noqa: S611 - values bound as parameters; names from the model
        f'SELECT "{case_id}" FROM "{through.db_table}" WHERE "{user_column}" = %s',  # noqa: S608
        (user_id,),
    )


def _granted_to(user_id: int, now: datetime.datetime) -> RawSQL:
    """The ids of the cases the user ``user_id`` holds an emergency (break-glass) grant for,
    unexpired at ``now``, as a subquery (see ``_named_on_id``)."""
    from harbour.cases.models import BreakGlassGrant  # models -> core.scoping -> policy: a cycle

    meta = BreakGlassGrant._meta
    expires = meta.get_field("expires_at")
    case_id, user_column = meta.get_field("case").column, meta.get_field("user").column
    return RawSQL(  # noqa: S611 - values bound as parameters; names from the model
        f'SELECT "{case_id}" FROM "{meta.db_table}" '  # noqa: S608 - names from the model
        f'WHERE "{user_column}" = %s AND "{expires.column}" > %s',
        (user_id, expires.get_db_prep_value(now, connection)),
    )


def case_visibility(user: Any, prefix: str = "") -> Q | None:
    """The conditions on a case (reached through ``prefix``, e.g. ``"case__"``) that make it
    visible to ``user``; None when the user sees no case at all.

    Written as plain conditions on the case row plus two small uncorrelated subqueries (the cases
    the user is named on, and those they hold an emergency grant for), never as "the set of
    visible cases" or a join that needs ``DISTINCT``: a query for one case's records then costs the
    same whatever the size of the organisation, and SQLite reads each subquery once per query, not
    once per case row as the correlated ``EXISTS`` it replaced (issue #8).
    """
    if not is_provider_caseworker(user):
        return None
    viewer = caseworker(user)
    return caseworker_visibility(viewer, user.organisation_id, user.pk, timezone.now(), prefix)


#: What kind of caseworker someone is, for the conditions written from plain values below.
CaseworkerKind = Literal["advocate", "manager"]
CASEWORKER_KINDS: tuple[CaseworkerKind, ...] = ("advocate", "manager")


def caseworker(user: Any) -> CaseworkerKind:
    """Which of the two visibility rules applies to a provider's caseworker (checked by the
    caller with ``is_provider_caseworker``)."""
    return "manager" if user.role == Role.MANAGER else "advocate"


def caseworker_visibility(
    kind: CaseworkerKind,
    organisation_id: int,
    user_id: int,
    now: datetime.datetime,
    prefix: str = "",
) -> Q:
    """``case_visibility`` of a provider's caseworker of ``kind`` (user ``user_id`` of
    ``organisation_id``) at ``now``, from those values alone, for queries compiled once
    (``harbour.core.precompiled``). ``case_visibility(user)`` is this with the user's own values;
    callers must have checked ``is_provider_caseworker`` and taken ``kind`` from ``caseworker``."""
    # The cases the user is named on, and (below) holds an emergency grant for: a few rows of the
    # user's own, read by index, never the set of visible cases (issue #8). Uncorrelated, so
    # each is read once per query rather than once per case row.
    named = Q(**{f"{prefix}pk__in": _named_on_id(user_id)})
    organisation = Q(**{f"{prefix}organisation_id": organisation_id})
    unrestricted = Q(**{f"{prefix}restricted": False})
    restricted_named = Q(**{f"{prefix}restricted": True}) & named
    if kind == "manager":
        return organisation & (unrestricted | restricted_named)
    own = Q(**{f"{prefix}allocated_to_id": user_id}) | Q(**{f"{prefix}allocated_to__isnull": True})
    # Break-glass: a stated reason opens one unrestricted case of the organisation for a few hours.
    emergency = Q(**{f"{prefix}pk__in": _granted_to(user_id, now)})
    return organisation & ((unrestricted & (own | emergency)) | restricted_named)


def own_caseload(user: Any, prefix: str = "") -> Q | None:
    """The cases allocated to ``user`` that they may see (reached through ``prefix``): exactly
    ``case_visibility(user)`` narrowed to ``allocated_to=user``, written without the branches the
    allocation already decides (waiting cases, emergency grants), so the home page's "what to do
    today" lists are cheaper to build and to plan (issue #8). None when the user has no cases."""
    if not is_provider_caseworker(user):
        return None
    return own_caseload_of(user.organisation_id, user.pk, prefix)


def own_caseload_of(organisation_id: int, user_id: int, prefix: str = "") -> Q:
    """``own_caseload`` of the caseworker ``user_id`` of ``organisation_id``, from the two values
    alone (for queries compiled once, ``harbour.core.precompiled``). Only for a user who is a
    provider's caseworker: ``own_caseload`` checks that; callers of this must have."""
    named = _named_on_id(user_id)
    return Q(
        **{f"{prefix}organisation_id": organisation_id, f"{prefix}allocated_to_id": user_id}
    ) & (
        Q(**{f"{prefix}restricted": False})
        | Q(**{f"{prefix}restricted": True, f"{prefix}pk__in": named})
    )


def _scope_case(user: Any, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    visible = case_visibility(user)
    return qs.none() if visible is None else qs.filter(visible)


def _scope_break_glass(user: Any, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """Managers see every grant in their organisation (to review them); others their own."""
    if not is_provider_caseworker(user):
        return qs.none()
    qs = qs.filter(case__organisation_id=user.organisation_id)
    return qs if user.role == Role.MANAGER else qs.filter(user=user)


def can_answer_subject_access(user: Any, case: Any) -> bool:
    """Subject access exports and erasure: a manager of the case's own organisation."""
    return is_provider_manager(user) and user.organisation_id == case.organisation_id


def can_break_glass(user: Any) -> bool:
    """Advocates may claim emergency access; managers already see every unrestricted case."""
    return has_own_caseload(user)


def can_review_break_glass(user: Any) -> bool:
    return is_provider_manager(user)


def _scope_via_case(field: str) -> Callable[[Any, models.QuerySet[Any]], models.QuerySet[Any]]:
    """Scope a case's records through a join on their case (``field`` is the path to it)."""

    def scope_child(user: Any, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
        visible = case_visibility(user, prefix=f"{field}__")
        return qs.none() if visible is None else qs.filter(visible)

    return scope_child


#: Case-data models whose caseworkers see exactly the records of the cases they see, with the path
#: from a record to its case (``scope_case_records``).
_CASE_PATHS: dict[str, str] = {}

#: Set on a case read through ``Case.objects.for_user(user)`` by the access helper: whom it admitted.
_ADMITTED = "_harbour_admitted_user_id"


def note_admitted(case: Any, user: Any) -> None:
    """Remember on ``case``, a row just read through ``Case.objects.for_user(user)``, that ``user``
    may see it (only the case access helper calls this)."""
    setattr(case, _ADMITTED, getattr(user, "pk", None))


def _admitted(user: Any, case: Any) -> bool:
    """``case`` was read through ``Case.objects.for_user(user)`` in this request."""
    admitted = getattr(case, _ADMITTED, None)
    return admitted is not None and admitted == getattr(user, "pk", None)


def scope_case_records(
    model: type[models.Model], user: Any, case: Any, qs: models.QuerySet[Any]
) -> models.QuerySet[Any]:
    """The records of one case (of ``model``) that ``user`` may see.

    For a caseworker and a case the access helper admitted them to in this request, that is every
    record of the case: one indexed condition on the case, not the visibility conditions (with
    their ``EXISTS`` on named users and emergency grants) built and compiled into every query of
    the case page again (issue #8). Anyone else, or a case read some other way, gets the full scope
    of ``model`` narrowed to the case.
    """
    path = case_path(model)
    if sees_every_record(user, case):
        return qs.filter(**{path: case})
    return scope(model, user, qs).filter(**{path: case})


def case_path(model: type[models.Model]) -> str:
    """The lookup from a record of ``model`` to its case (``case``, ``suspect__case``, ...)."""
    path = _CASE_PATHS.get(model._meta.label_lower)
    if path is None:
        raise LookupError(f"{model._meta.label} is not scoped through its case")
    return path


def caseworker_scope(
    model: type[models.Model],
    kind: CaseworkerKind,
    organisation_id: int,
    user_id: int,
    now: datetime.datetime,
    qs: models.QuerySet[Any],
) -> models.QuerySet[Any]:
    """``scope(model, user, qs)`` for a provider's caseworker, from plain values (see
    ``caseworker_visibility``), for a model that caseworkers see through its case alone (one of
    ``_CASE_PATHS``: the records of exactly the cases they see)."""
    prefix = f"{case_path(model)}__"
    return qs.filter(caseworker_visibility(kind, organisation_id, user_id, now, prefix))


def sees_every_record(user: Any, case: Any) -> bool:
    """Whether ``user`` may see every record of ``case``: a caseworker whom the case access helper
    admitted to it in this request (the first branch of ``scope_case_records``)."""
    return _admitted(user, case) and is_provider_caseworker(user)


def _scope_client(user: Any, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    from harbour.cases.models import Case  # cases.models -> core.scoping -> this module

    visible = case_visibility(user)
    if visible is None:
        return qs.none()
    return qs.filter(Exists(Case.unscoped.filter(visible, client_id=OuterRef("pk"))))


# Referrals ----------------------------------------------------------------------------------------


def is_police_coordinator(user: Any) -> bool:
    return (
        _staff(user)
        and user.organisation.kind == Organisation.Kind.POLICE_FORCE
        and user.role == Role.POLICE_COORDINATOR
    )


def _scope_referral(user: Any, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """Providers see referrals routed to them; a force sees the ones it sent (views show status only)."""
    if is_provider_caseworker(user):
        return qs.filter(routed_to_id=user.organisation_id)
    if is_police_coordinator(user):
        return qs.filter(referring_organisation_id=user.organisation_id)
    return qs.none()


def _scope_contact_attempt(user: Any, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not is_provider_caseworker(user):
        return qs.none()
    return qs.filter(referral__routed_to_id=user.organisation_id)


def can_triage_referrals(user: Any) -> bool:
    return is_provider_caseworker(user)


def can_act_on_referral(user: Any, referral: Any) -> bool:
    return is_provider_caseworker(user) and referral.routed_to_id == user.organisation_id


def can_reroute_referral(user: Any, referral: Any) -> bool:
    return is_provider_manager(user) and can_act_on_referral(user, referral)


def can_manage_coverage(user: Any) -> bool:
    """A provider's manager or administrator edits the postcodes their own service covers."""
    return (
        _staff(user)
        and not user.is_superuser
        and user.organisation.kind == Organisation.Kind.PROVIDER
        and user.role in (Role.MANAGER, Role.ADMIN)
    )


def can_view_unrouted(user: Any) -> bool:
    """A triage team's caseworkers see the referrals no rule covered that came to them."""
    return is_provider_caseworker(user)


def can_make_police_referral(user: Any) -> bool:
    return is_police_coordinator(user)


def can_view_sent_referrals(user: Any) -> bool:
    return is_police_coordinator(user)


def can_view_referral_sources(user: Any) -> bool:
    return is_provider_manager(user)


def can_api_send_police_referrals(organisation: Organisation) -> bool:
    """An API token acts for its organisation; only police forces send referrals through it."""
    return organisation.is_active and organisation.kind == Organisation.Kind.POLICE_FORCE


def api_referrals_visible_to(
    organisation: Organisation, qs: models.QuerySet[Any]
) -> models.QuerySet[Any]:
    """What an organisation's API token may read: the status of referrals it sent."""
    return qs.filter(referring_organisation_id=organisation.pk)


_SCOPES: dict[str, Callable[[Any, models.QuerySet[Any]], models.QuerySet[Any]]] = {
    "cases.case": _scope_case,
    "cases.client": _scope_client,
    "cases.breakglassgrant": _scope_break_glass,
    "referrals.referral": _scope_referral,
    "referrals.contactattempt": _scope_contact_attempt,
    # The referral is with the triage team (routed_to) until a person routes it on.
    "coverage.unroutedreferral": _scope_contact_attempt,
}


# Cases and risk -------------------------------------------------------------------------------------

for _label, _path in (
    ("cases.contactpreference", "case"),
    ("cases.contactlogentry", "case"),
    ("cases.suspect", "case"),
    ("cases.suspectidentifier", "suspect__case"),
    ("cases.needsassessment", "case"),
    ("cases.supportaction", "case"),
    ("cases.safetyplan", "case"),
    ("cases.safetyplanversion", "plan__case"),
    ("cases.onwardreferral", "case"),
    ("cases.outcomemeasures", "case"),
    ("risk.assessment", "case"),
    ("risk.maracreferral", "case"),
    ("risk.risklevelchange", "case"),
    ("evidence.incident", "case"),
    ("evidence.incidentversion", "incident__case"),
    ("evidence.evidenceitem", "case"),
    ("evidence.policesharingconsent", "case"),
    ("imports.evidenceimport", "case"),
    ("imports.importedmessage", "case"),
    ("imports.importedentry", "case"),
    ("imports.messageflag", "case"),
):
    _SCOPES[_label] = _scope_via_case(_path)
    _CASE_PATHS[_label] = _path


# Live chat ----------------------------------------------------------------------------------------


def can_advise_on_chat(user: Any) -> bool:
    """Advocates and managers of a provider take chats on their own service's live chat."""
    return is_provider_caseworker(user)


def _scope_chat_via(prefix: str) -> Callable[[Any, models.QuerySet[Any]], models.QuerySet[Any]]:
    def scope_chat(user: Any, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if not can_advise_on_chat(user):
            return qs.none()
        return qs.filter(**{f"{prefix}service__organisation_id": user.organisation_id})

    return scope_chat


for _label, _prefix in (
    ("chat.chat", ""),
    ("chat.chatmessage", "chat__"),
    ("chat.safeguardingconcern", "chat__"),
    ("chat.chattranscript", "chat__"),
):
    _SCOPES[_label] = _scope_chat_via(_prefix)


def can_view_chat(user: Any, chat: Any) -> bool:
    """The adviser holding a chat reads it; a manager of the service may too (oversight). Waiting
    chats show no text to anyone until an adviser takes one."""
    if not can_advise_on_chat(user) or chat.service.organisation_id != user.organisation_id:
        return False
    return chat.adviser_id == user.pk or (chat.adviser_id is not None and is_provider_manager(user))


def can_act_on_chat(user: Any, chat: Any) -> bool:
    """Only the adviser holding a chat writes in it, ends it or turns it into a referral."""
    return can_view_chat(user, chat) and chat.adviser_id == user.pk


def can_take_chat(user: Any, chat: Any) -> bool:
    return (
        can_advise_on_chat(user)
        and chat.service.organisation_id == user.organisation_id
        and chat.adviser_id is None
    )


def can_view_chat_figures(user: Any) -> bool:
    return is_provider_manager(user)


def has_scope(model: type[models.Model]) -> bool:
    return model._meta.label_lower in _SCOPES


# Evidence: the diary, files, bundles and consent to share with police ------------------------------


def _police_consent_given() -> Any:
    """A condition on a case reference: the client's latest decision on police sharing is "given"."""

    from harbour.evidence.models import (
        PoliceSharingConsent,
    )  # models -> core.scoping -> policy: a cycle

    return Subquery(
        PoliceSharingConsent.unscoped.filter(case=OuterRef("case"))
        .order_by("-recorded_at", "-pk")
        .values("state")[:1]
    )


def _scope_bundle(user: Any, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """Caseworkers see the bundles of cases they see; a police coordinator sees only bundles shared
    with their force, and only while the client's consent to share with police is in force."""

    from harbour.evidence.models import BundleShare  # models -> core.scoping -> policy: a cycle

    if is_provider_caseworker(user):
        return _scope_via_case("case")(user, qs)
    if is_police_coordinator(user):
        shared = BundleShare.unscoped.filter(
            bundle=OuterRef("pk"), organisation_id=user.organisation_id
        )
        consented: models.QuerySet[Any] = qs.annotate(
            _police_consent=_police_consent_given()
        ).filter(Exists(shared), _police_consent="given")
        return consented
    return qs.none()


def _scope_bundle_share(user: Any, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if is_provider_caseworker(user):
        return _scope_via_case("bundle__case")(user, qs)
    if is_police_coordinator(user):
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


_SCOPES["evidence.bundle"] = _scope_bundle
_SCOPES["evidence.bundleshare"] = _scope_bundle_share


def police_sharing_consent_given(case: Case) -> bool:
    """The client's latest recorded decision about sharing with police is "given"."""
    from harbour.evidence.models import (
        PoliceSharingConsent,
    )  # models -> core.scoping -> policy: a cycle

    latest = PoliceSharingConsent.unscoped.filter(case=case).order_by("-recorded_at", "-pk").first()
    return latest is not None and latest.state == PoliceSharingConsent.State.GIVEN


def can_keep_diary(user: Any, case: Case) -> bool:
    """Log incidents, correct them, upload evidence and record consent: the case's caseworkers."""
    return can_edit_case(user, case)


def can_produce_bundle(user: Any, case: Case) -> bool:
    """A bundle may be needed after closure (court dates come late): any caseworker who sees it."""
    return is_provider_caseworker(user) and can_view_case(user, case)


def can_share_bundle_with_police(user: Any, case: Case) -> bool:
    return can_produce_bundle(user, case) and police_sharing_consent_given(case)


def police_forces() -> models.QuerySet[Organisation]:
    """The organisations a bundle may be shared with."""
    return Organisation.objects.filter(kind=Organisation.Kind.POLICE_FORCE, is_active=True)


def can_verify_bundles(user: Any) -> bool:
    """Checking an uploaded bundle shows nothing stored: caseworkers and police coordinators."""
    return is_provider_caseworker(user) or is_police_coordinator(user)


def can_view_shared_bundles(user: Any) -> bool:
    return is_police_coordinator(user)


# Awareness training ---------------------------------------------------------------------------------
# Trainers, and their provider's managers, run the training queue, sessions, events and figures.
# Partner organisations (with their contacts) are also read by the provider's advocates: the area's
# single point of contact is an advocate who coordinates with them. Nobody else sees any of it.


def is_trainer(user: Any) -> bool:
    return (
        _staff(user)
        and not user.is_superuser
        and user.organisation.kind == Organisation.Kind.PROVIDER
        and user.role == Role.TRAINER
    )


def is_training_staff(user: Any) -> bool:
    return is_trainer(user) or is_provider_manager(user)


def can_run_training(user: Any) -> bool:
    return is_training_staff(user)


def can_see_partners(user: Any) -> bool:
    return is_training_staff(user) or is_provider_caseworker(user)


def can_edit_partners(user: Any) -> bool:
    return is_training_staff(user)


def can_name_contact_point(user: Any) -> bool:
    return is_provider_manager(user)


def training_providers() -> models.QuerySet[Organisation]:
    """The providers a member of the public may ask for training: those with an active trainer."""
    trainers = User.objects.filter(organisation=OuterRef("pk"), is_active=True, role=Role.TRAINER)
    return Organisation.objects.filter(
        Exists(trainers), kind=Organisation.Kind.PROVIDER, is_active=True
    )


def trainers_of(organisation: Organisation | int | None) -> models.QuerySet[User]:
    """Who may be named as a session's trainer: trainers, and advocates and managers (the single
    point of contact often delivers sessions herself)."""
    return User.objects.filter(
        organisation=organisation,
        is_active=True,
        role__in=(Role.TRAINER, Role.ADVOCATE, Role.MANAGER),
    )


def _scope_training(field: str) -> Callable[[Any, models.QuerySet[Any]], models.QuerySet[Any]]:
    def scope_training(user: Any, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if not is_training_staff(user):
            return qs.none()
        return qs.filter(**{field: user.organisation_id})

    return scope_training


def _scope_partners(field: str) -> Callable[[Any, models.QuerySet[Any]], models.QuerySet[Any]]:
    def scope_partners(user: Any, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if not can_see_partners(user):
            return qs.none()
        return qs.filter(**{field: user.organisation_id})

    return scope_partners


_SCOPES["training.trainingrequest"] = _scope_training("provider_id")
_SCOPES["training.trainingsession"] = _scope_training("provider_id")
_SCOPES["training.sessionorganisation"] = _scope_training("session__provider_id")
_SCOPES["training.sectorattendance"] = _scope_training("session__provider_id")
_SCOPES["training.attendee"] = _scope_training("session__provider_id")
_SCOPES["training.feedback"] = _scope_training("attendee__session__provider_id")
_SCOPES["training.partnerorganisation"] = _scope_partners("provider_id")
_SCOPES["training.partnercontact"] = _scope_partners("partner__provider_id")


# Perpetrator programme ------------------------------------------------------------------------------
# Strict separation. Programme staff see their own programme's participants and nothing of any case
# (they are not provider caseworkers, so every case query is empty and every case page a 404).
# Caseworkers see no participant, session note or risk review (every programme page a 404). Two
# narrow windows:
# - a police coordinator sees the status, attendance counts and referrer updates of participants
#   their force referred or holds a Stalking Protection Order for (never notes or risk reviews);
# - an advocate sees only whether the suspect on their case is attending, and only where the
#   programme allows it for that participant and the client has asked to be told.


def is_programme_staff(user: Any) -> bool:
    return (
        _staff(user)
        and not user.is_superuser
        and user.organisation.kind == Organisation.Kind.PERPETRATOR_PROGRAMME
        and user.role in (Role.PROGRAMME_PRACTITIONER, Role.MANAGER)
    )


def practitioners_of(organisation: Organisation | int | None) -> models.QuerySet[User]:
    return User.objects.filter(
        organisation=organisation,
        is_active=True,
        role__in=(Role.PROGRAMME_PRACTITIONER, Role.MANAGER),
    )


#: The routes on which a force is the referrer, and so is told the participant's status.
POLICE_ROUTES = ("police", "spo")


def _scope_participant(user: Any, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if is_programme_staff(user):
        return qs.filter(programme_id=user.organisation_id)
    if is_police_coordinator(user):
        return qs.filter(referring_force_id=user.organisation_id, route__in=POLICE_ROUTES)
    return qs.none()


def _scope_programme_only(user: Any, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """Session notes and risk reviews: the programme's own staff, nobody else at all."""
    if is_programme_staff(user):
        return qs.filter(participant__programme_id=user.organisation_id)
    return qs.none()


def _scope_referrer_update(user: Any, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if is_programme_staff(user):
        return qs.filter(participant__programme_id=user.organisation_id)
    if is_police_coordinator(user):
        return qs.filter(
            participant__referring_force_id=user.organisation_id,
            participant__route__in=POLICE_ROUTES,
        )
    return qs.none()


_SCOPES["programmes.participant"] = _scope_participant
_SCOPES["programmes.programmesession"] = _scope_programme_only
_SCOPES["programmes.riskreview"] = _scope_programme_only
_SCOPES["programmes.referrerupdate"] = _scope_referrer_update
_SCOPES["programmes.suspectattendanceconsent"] = _scope_via_case("case")


def can_work_with_participants(user: Any) -> bool:
    return is_programme_staff(user)


def can_see_programme_notes(user: Any, participant: Any) -> bool:
    return is_programme_staff(user) and participant.programme_id == user.organisation_id


def can_follow_programme_requirements(user: Any) -> bool:
    """A police coordinator's list of participants the force referred (status only)."""
    return is_police_coordinator(user)


def can_ask_about_suspect_attendance(user: Any, case: Case) -> bool:
    return is_provider_caseworker(user) and can_view_case(user, case)


def can_record_suspect_attendance_consent(user: Any, case: Case) -> bool:
    return is_provider_caseworker(user) and can_edit_case(user, case)


def suspect_attendance_consent_given(case: Case) -> bool:
    from harbour.programmes.models import (
        SuspectAttendanceConsent,
    )  # models -> core.scoping -> policy: a cycle

    latest = (
        SuspectAttendanceConsent.unscoped.filter(case=case).order_by("-recorded_at", "-pk").first()
    )
    return latest is not None and latest.state == SuspectAttendanceConsent.State.GIVEN


def advocate_may_see_attendance(user: Any, case: Case, participant: Any) -> bool:
    """Whether the suspect is attending, for this case's advocate: the programme allows it for
    this participant, and the client has asked to be told (latest decision)."""
    return (
        can_ask_about_suspect_attendance(user, case)
        and bool(participant.share_attendance_with_victim_services)
        and suspect_attendance_consent_given(case)
    )


# Justice: orders, the criminal-justice journey, the police workspace, suspect links ---------------


def _consented_for_force(path: str, force_path: str) -> Callable[[Any, models.QuerySet[Any]], Any]:
    """Caseworkers see the records of cases they see. A police coordinator sees a record only when
    it concerns their force (``force_path``) and the client's latest decision on sharing with police
    (for the case at ``path``) is "given": withdrawing consent removes it at once."""

    def scope_justice(user: Any, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
        from harbour.evidence.models import (
            PoliceSharingConsent,
        )  # models -> core.scoping -> policy: a cycle

        if is_provider_caseworker(user):
            return _scope_via_case(path)(user, qs)
        if is_police_coordinator(user):
            latest = Subquery(
                PoliceSharingConsent.unscoped.filter(case=OuterRef(path))
                .order_by("-recorded_at", "-pk")
                .values("state")[:1]
            )
            consented: models.QuerySet[Any] = qs.filter(
                **{f"{force_path}_id": user.organisation_id}
            ).annotate(_police_consent=latest)
            return consented.filter(_police_consent="given")
        return qs.none()

    return scope_justice


def _scope_reminder(user: Any, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not is_provider_caseworker(user):
        return qs.none()
    kind, now = caseworker(user), timezone.now()
    return caseworker_reminders(kind, user.organisation_id, user.pk, now, qs)


def caseworker_reminders(
    kind: CaseworkerKind,
    organisation_id: int,
    user_id: int,
    now: datetime.datetime,
    qs: models.QuerySet[Any],
) -> models.QuerySet[Any]:
    """A caseworker's own reminders on the cases they see (``scope(Reminder, user)``), from plain
    values (see ``caseworker_visibility``)."""
    visible = caseworker_visibility(kind, organisation_id, user_id, now, "case__")
    return qs.filter(user_id=user_id).filter(visible)


def _scope_link_disclosure(user: Any, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """The manager who claimed it, and the managers of the organisation whose record it opened
    (who review it)."""
    if not is_provider_manager(user):
        return qs.none()
    return qs.filter(
        Q(requested_by_id=user.pk) | Q(other_suspect__case__organisation_id=user.organisation_id)
    )


for _label, _scope_fn in (
    ("justice.order", _consented_for_force("case", "force")),
    ("justice.orderstep", _consented_for_force("order__case", "order__force")),
    ("justice.ordercondition", _consented_for_force("order__case", "order__force")),
    ("justice.ordernotification", _consented_for_force("order__case", "order__force")),
    ("justice.breach", _consented_for_force("order__case", "order__force")),
    ("justice.breachincident", _scope_via_case("breach__order__case")),
    ("justice.journey", _consented_for_force("case", "force")),
    ("justice.journeymilestone", _consented_for_force("journey__case", "journey__force")),
    ("justice.recordingreview", _consented_for_force("journey__case", "journey__force")),
    ("justice.reminder", _scope_reminder),
    ("justice.suspectnamekey", _scope_via_case("suspect__case")),
    ("justice.linkdisclosure", _scope_link_disclosure),
):
    _SCOPES[_label] = _scope_fn

# Caseworkers see these through their case alone (police coordinators through consent: the full
# scope); reminders are per person and link disclosures per manager, so they are not listed.
for _label, _path in (
    ("justice.order", "case"),
    ("justice.orderstep", "order__case"),
    ("justice.ordercondition", "order__case"),
    ("justice.ordernotification", "order__case"),
    ("justice.breach", "order__case"),
    ("justice.breachincident", "breach__order__case"),
    ("justice.journey", "case"),
    ("justice.journeymilestone", "journey__case"),
    ("justice.recordingreview", "journey__case"),
    ("justice.suspectnamekey", "suspect__case"),
):
    _CASE_PATHS[_label] = _path


def can_record_justice(user: Any, case: Case) -> bool:
    """Record orders, breaches and the criminal-justice journey: the case's caseworkers."""
    return can_edit_case(user, case)


def can_view_justice_record(user: Any, case: Case) -> bool:
    """Order and journey pages (with their breaches and diary links): the case's caseworkers. The
    police coordinator sees consented records on the workspace's own pages instead."""
    return is_provider_caseworker(user) and can_view_case(user, case)


def can_use_police_workspace(user: Any) -> bool:
    return is_police_coordinator(user)


def can_ask_recording_review(user: Any) -> bool:
    return is_police_coordinator(user)


def can_view_suspect_links(user: Any) -> bool:
    """Serial-suspect flags go to the provider's managers."""
    return is_provider_manager(user)


def can_claim_link_disclosure(user: Any, own_case: Case, other_case: Case) -> bool:
    """A manager who sees their own case may ask to see another provider's matching suspect;
    never one on a restricted case (its suspect may work in an agency), as with break-glass."""
    return (
        is_provider_manager(user)
        and can_view_case(user, own_case)
        and other_case.organisation_id != user.organisation_id
        and not other_case.restricted
    )


def can_review_link_disclosure(user: Any, disclosure: Any) -> bool:
    """The organisation whose record was opened reviews the access (never the claimant)."""
    return (
        is_provider_manager(user)
        and disclosure.other_suspect.case.organisation_id == user.organisation_id
        and disclosure.requested_by_id != user.pk
    )


# Reporting: aggregates only -----------------------------------------------------------------------


def is_commissioner(user: Any) -> bool:
    """Staff of a commissioner's office: aggregate figures of the organisations it funds, never a
    case, a referral or a person."""
    return (
        _staff(user)
        and not user.is_superuser
        and user.organisation.kind == Organisation.Kind.COMMISSIONER
        and user.role == Role.COMMISSIONER
    )


def can_view_dashboard(user: Any) -> bool:
    """The reporting dashboard and its exports: a commissioner's office (its providers, forces
    and programmes) and a provider's managers (their own organisation)."""
    return is_commissioner(user) or is_provider_manager(user)


def can_configure_reporting(user: Any) -> bool:
    """Areas' populations, the survey rate, recorded crimes and the quarterly return's columns."""
    return is_commissioner(user)


def reporting_organisations(user: Any) -> models.QuerySet[Organisation]:
    """The organisations whose figures a dashboard counts (nothing for anyone else)."""
    if is_commissioner(user):
        from harbour.reporting.models import CommissionedOrganisation

        funded = CommissionedOrganisation.objects.filter(
            commissioner_id=user.organisation_id
        ).values("organisation_id")
        return Organisation.objects.filter(pk__in=funded, is_active=True)
    if is_provider_manager(user):
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def scope(model: type[models.Model], user: Any, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    fn = _SCOPES.get(model._meta.label_lower)
    if fn is None:
        raise LookupError(f"no access policy for {model._meta.label}")
    if not _staff(user):
        return qs.none()
    return fn(user, qs)


# Single objects ---------------------------------------------------------------------------------


def can_view_case(user: Any, case: Case) -> bool:
    from harbour.cases.models import Case  # cases.models -> core.scoping -> this module

    if _admitted(user, case):
        return True  # the access helper has just read it through this very scope
    return Case.objects.for_user(user).filter(pk=case.pk).exists()


def can_edit_case(user: Any, case: Case) -> bool:
    return can_view_case(user, case) and case.is_open


def can_see_case_access_log(user: Any, case: Case) -> bool:
    return is_provider_manager(user) and can_view_case(user, case)


# Cases: case workspace ------------------------------------------------------------------------


def can_allocate_case(user: Any, case: Case) -> bool:
    """Managers allocate, reallocate and restrict cases of their own organisation."""
    return is_provider_manager(user) and can_view_case(user, case)


def can_sign_off_closure(user: Any, case: Case) -> bool:
    return is_provider_manager(user) and can_view_case(user, case)


def can_reopen_case(user: Any, case: Case) -> bool:
    return is_provider_manager(user) and can_view_case(user, case) and case.status == "closed"


def can_refer_without_consent(user: Any) -> bool:
    return is_provider_manager(user)


def can_view_instruments(user: Any) -> bool:
    """The risk instruments loaded (no case content): provider managers and organisation admins."""
    return is_provider_manager(user) or (
        is_org_admin(user) and user.organisation.kind == Organisation.Kind.PROVIDER
    )


def can_manage_user(actor: Any, target: User) -> bool:
    """Org admins manage their own organisation's users only, never themselves into lockout."""
    return is_org_admin(actor) and target.organisation_id == actor.organisation_id


def can_manage_users(actor: Any) -> bool:
    return is_org_admin(actor)


def role_needs_approval(role: str, organisation: Organisation) -> bool:
    """A role that sees case content, in an organisation that holds case content."""

    return organisation.kind == Organisation.Kind.PROVIDER and role in CASEWORKER_ROLES


def can_review_role_requests(user: Any) -> bool:
    return is_provider_manager(user)


def can_decide_role_request(user: Any, request: Any) -> bool:
    """Two people: a provider manager of the same organisation who is neither the administrator
    who asked nor the person being given the role."""
    return (
        is_provider_manager(user)
        and request.organisation_id == user.organisation_id
        and request.requested_by_id != user.pk
        and request.user_id != user.pk
    )


def operator_may_place(user: Any, organisation: Organisation | None, role: str) -> bool:
    """What the Django admin may set on an account. A superuser is never a member of a provider
    organisation; nobody is given a caseworker role there except in an organisation that holds no
    case content yet (setting up a new service), so the admin is never a way into a case."""
    if organisation is None:
        return True
    if user.is_superuser and organisation.kind == Organisation.Kind.PROVIDER:
        return False
    if role_needs_approval(role, organisation):
        from harbour.cases.models import Case  # models -> core.scoping -> policy: a cycle

        held = Case.objects.system("operator role check").filter(organisation=organisation)
        return not held.exists()
    return True


def can_use_django_admin(user: Any) -> bool:
    """Django's admin is for platform operators: superusers with MFA, never case content."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def navigation_for(user: Any) -> list[tuple[str, str]]:
    """(url name, label) pairs shown in the service navigation for this user."""
    items: list[tuple[str, str]] = [("core:home", "Home")]
    if is_provider_caseworker(user):
        items.append(("cases:list", "Cases"))
        items.append(("referrals:queue", "Referrals"))
        items.append(("chat:desk", "Live chat"))
    if is_police_coordinator(user):
        items.append(("justice:workspace", "Stalking workspace"))
        items.append(("referrals:sent", "Referrals sent"))
        items.append(("evidence:shared_bundles", "Evidence bundles"))
    if can_view_instruments(user):
        items.append(("risk:instrument_list", "Risk instruments"))
    if can_run_training(user):
        items.append(("training:queue", "Training"))
    if can_see_partners(user):
        items.append(("partners:list", "Partners"))
    if can_work_with_participants(user):
        items.append(("programmes:participants", "Participants"))
    if can_follow_programme_requirements(user):
        items.append(("programmes:police_list", "Programme referrals"))
    if can_view_dashboard(user):
        items.append(("reporting:dashboard", "Figures"))
    if can_manage_coverage(user):
        items.append(("coverage:index", "Coverage"))
    if is_org_admin(user):
        items.append(("accounts:user_list", "Users"))
    if can_review_role_requests(user):
        items.append(("accounts:role_requests", "Account approvals"))
    items.append(("accounts:security", "Your account"))
    return items


# Alerts (harbour.alerts) --------------------------------------------------------------------------

#: Which staff may choose to be e-mailed each kind of alert. Every alert says only a count and a
#: kind; this decides who hears that something is waiting at all. Account changes go to everyone.
ALERT_ROLES: dict[str, frozenset[str]] = {
    "new_referral": frozenset({Role.ADVOCATE, Role.MANAGER}),
    "unrouted_referral": frozenset({Role.MANAGER}),
    "first_contact_due": frozenset({Role.ADVOCATE, Role.MANAGER}),
    "deadline": frozenset({Role.ADVOCATE, Role.MANAGER}),
    "emergency_access": frozenset({Role.MANAGER}),
}


def alert_kinds_for(user: Any, kinds: list[str]) -> list[str]:
    """The alert kinds (of ``kinds``, in order) this person may choose to receive."""
    caseworker = is_provider_caseworker(user)
    return [
        kind
        for kind in kinds
        if kind not in ALERT_ROLES or (caseworker and user.role in ALERT_ROLES[kind])
    ]


def alert_recipients(kind: str, organisation_id: int | None) -> models.QuerySet[User]:
    """Active staff of a provider who may be alerted of ``kind`` about their organisation's work."""
    if organisation_id is None or kind not in ALERT_ROLES:
        return User.objects.none()
    return User.objects.filter(
        organisation_id=organisation_id,
        organisation__kind=Organisation.Kind.PROVIDER,
        organisation__is_active=True,
        is_active=True,
        is_superuser=False,
        role__in=ALERT_ROLES[kind],
    )


# Passkeys -----------------------------------------------------------------------------------------


def passkey_required(user: Any) -> bool:
    """The service requires a phishing-resistant second factor (a passkey) of this person's role
    (``HARBOUR_PASSKEYS_REQUIRED_FOR``)."""
    from django.conf import settings

    return bool(user.role) and user.role in settings.HARBOUR_PASSKEYS_REQUIRED_FOR
