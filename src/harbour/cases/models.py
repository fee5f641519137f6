"""Clients (the people Harbour supports) and their cases.

Every identifying field is encrypted; exact-match lookups use the blind indexes. Both models use a
scoped default manager, so any query must say who is asking.

Why unscoped: each case-data model keeps an ``unscoped`` manager for services, migrations, demo
data and system jobs (views and forms may not use it: tools/custom_check.py); here it checks that a
new case's reference is unique across every organisation, which no scoped read could see.
"""

from __future__ import annotations

import json
import secrets
import uuid
from typing import Any, ClassVar, Self

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.core.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedTextField,
)
from harbour.core.people import PersonIndexes
from harbour.core.scoping import ScopedManager
from harbour.core.validators import validate_date_of_birth

# No vowels (no words), no 0/O or 1/I/L to mishear on the phone.
_REFERENCE_ALPHABET = "23456789BCDFGHJKMNPQRSTVWXYZ"
_REFERENCE_ATTEMPTS = 8


def new_reference() -> str:
    """A non-identifying, hard-to-guess case reference read out in two groups: ``HB-7KQ3-XD9M``.

    28 symbols to the power 8 is about 3.8 x 10^11 references: at 1.5 million new cases a year for
    twenty years (30 million), a new reference meets an existing one about once in 13,000 cases,
    and ``Case.save`` simply draws again (issue #8: a clash must never become a server error).
    """
    chars = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"HB-{chars[:4]}-{chars[4:]}"


class Client(PersonIndexes):
    """A victim supported by a provider. Identifying fields are encrypted at rest."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    given_name = EncryptedCharField(max_length=100)
    family_name = EncryptedCharField(max_length=100, blank=True)
    preferred_name = EncryptedCharField(max_length=100, blank=True)
    date_of_birth = EncryptedDateField(null=True, blank=True, validators=[validate_date_of_birth])
    address = EncryptedTextField(blank=True)
    postcode = EncryptedCharField(max_length=10, blank=True)
    phone = EncryptedCharField(max_length=40, blank=True)
    email = EncryptedCharField(max_length=254, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"

    def __str__(self) -> str:
        return f"client {self.pk}"

    @property
    def display_name(self) -> str:
        return self.preferred_name or f"{self.given_name} {self.family_name}".strip()


class Relationship(models.TextChoices):
    """How the suspect knows the victim (for the case, and for each suspect)."""

    CURRENT_PARTNER = "current_partner", "Current partner"
    EX_PARTNER = "ex_partner", "Former partner"
    FAMILY = "family", "Family member"
    ACQUAINTANCE = "acquaintance", "Friend or acquaintance"
    COLLEAGUE = "colleague", "Colleague"
    NEIGHBOUR = "neighbour", "Neighbour"
    STRANGER = "stranger", "Stranger"
    ONLINE_ONLY = "online_only", "Someone known only online"
    UNKNOWN = "unknown", "Not known"

    @classmethod
    def domestic_abuse_related(cls) -> frozenset[str]:
        """Partners and family: stalking by them is domestic abuse (MARAC is the route)."""
        return frozenset({cls.CURRENT_PARTNER, cls.EX_PARTNER, cls.FAMILY})


class RiskLevel(models.IntegerChoices):
    """The risk level in force on a case, highest last so that sorting by it sorts by risk."""

    NOT_ASSESSED = 0, "Not assessed"
    STANDARD = 1, "Standard"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"

    @property
    def slug(self) -> str:
        return self.name.lower()


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        AWAITING_SIGN_OFF = "awaiting_sign_off", "Closure awaiting sign-off"
        CLOSED = "closed", "Closed"

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        WELSH = "cy", "Welsh (Cymraeg)"

    class Gender(models.TextChoices):
        WOMAN = "woman", "Woman"
        MAN = "man", "Man"
        NON_BINARY = "non_binary", "Non-binary"
        SELF_DESCRIBED = "other", "Another way"
        NOT_SAID = "not_said", "Prefers not to say"

    class AgeBand(models.TextChoices):
        UNDER_18 = "under_18", "Under 18"
        A18_24 = "18_24", "18 to 24"
        A25_34 = "25_34", "25 to 34"
        A35_44 = "35_44", "35 to 44"
        A45_54 = "45_54", "45 to 54"
        A55_64 = "55_64", "55 to 64"
        A65_PLUS = "65_plus", "65 or over"
        NOT_SAID = "not_said", "Prefers not to say"

    class Ethnicity(models.TextChoices):
        ASIAN = "asian", "Asian or Asian British"
        BLACK = "black", "Black, Black British, Caribbean or African"
        MIXED = "mixed", "Mixed or multiple ethnic groups"
        WHITE = "white", "White"
        OTHER = "other", "Other ethnic group"
        NOT_SAID = "not_said", "Prefers not to say"

    class Disability(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_SAID = "not_said", "Prefers not to say"

    class EnhancedRights(models.TextChoices):
        NONE = "", "Not in an enhanced-rights category"
        SERIOUS_CRIME = "serious_crime", "Victim of the most serious crime"
        PERSISTENTLY_TARGETED = "persistently_targeted", "Persistently targeted victim"
        VULNERABLE_OR_INTIMIDATED = "vulnerable_intimidated", "Vulnerable or intimidated victim"

    class ClosureReason(models.TextChoices):
        SUPPORT_COMPLETE = "support_complete", "Support complete"
        CLIENT_WITHDREW = "client_withdrew", "Client chose to end support"
        NO_CONTACT = "no_contact", "Could not make safe contact"
        MOVED_AREA = "moved_area", "Client moved out of the area"
        TRANSFERRED = "transferred", "Transferred to another service"
        OTHER = "other", "Other"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    allocated_to = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    restricted = models.BooleanField(
        default=False, help_text="Visible only to the named users (e.g. the suspect works here)."
    )
    named_users = models.ManyToManyField(User, blank=True, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    #: The level in force, kept with its history (risk.RiskLevelChange) by harbour.risk.services
    #: only: it never drops without a reasoned decision.
    risk_level = models.PositiveSmallIntegerField(
        choices=RiskLevel.choices, default=RiskLevel.NOT_ASSESSED, editable=False
    )

    # About the client and the stalking (equality monitoring is optional and never required).
    preferred_language = models.CharField(
        max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    relationship_to_suspect = models.CharField(
        max_length=20, choices=Relationship.choices, default=Relationship.UNKNOWN
    )
    gender = models.CharField(max_length=12, choices=Gender.choices, blank=True)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    ethnicity = models.CharField(max_length=10, choices=Ethnicity.choices, blank=True)
    disability = models.CharField(max_length=10, choices=Disability.choices, blank=True)

    # Flags
    domestic_abuse = models.BooleanField("Domestic-abuse related", default=False)
    historic = models.BooleanField("Historic stalking", default=False)
    historic_began_before = models.DateField(null=True, blank=True)
    cyber_elements = models.BooleanField("Cyber elements", default=False)
    enhanced_rights = models.CharField(
        "Victims' Code enhanced-rights category",
        max_length=24,
        choices=EnhancedRights.choices,
        blank=True,
        default="",
    )

    # Closure (see services.request_closure / sign_off_closure / reopen_case)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    closure_note = EncryptedTextField(blank=True)
    closure_open_items = EncryptedTextField(
        blank=True,
        help_text="What was still open when closure was asked for, and what happens to it.",
    )
    closure_requested_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closure_requested_at = models.DateTimeField(null=True, blank=True)
    closure_signed_off_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = EncryptedTextField(blank=True)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["-opened_at"]
        # The keys every case list filters and sorts on (issue #8): an organisation's cases newest
        # first, by status, and an advocate's own caseload. Each also carries the columns the
        # visibility conditions read (restricted, allocation), so counting and paging a list of
        # 25,000 cases reads only the index, never the rows (about 20 times faster on SQLite).
        indexes = [
            models.Index(
                fields=["organisation", "opened_at", "restricted", "allocated_to", "status"],
                name="case_org_opened",
            ),
            models.Index(
                fields=["organisation", "status", "restricted", "allocated_to", "opened_at"],
                name="case_org_status",
            ),
            models.Index(
                fields=["allocated_to", "status", "opened_at", "organisation", "restricted"],
                name="case_allocated",
            ),
            # Sorting and filtering a caseload by the risk level in force.
            models.Index(
                fields=["organisation", "status", "risk_level", "opened_at", "allocated_to"],
                name="case_org_risk",
            ),
            # The reporting dashboard (issue #17): who was taken on in a period, every
            # characteristic counted from the index alone; and cases closed in a period.
            models.Index(
                fields=[
                    "organisation",
                    "opened_at",
                    "gender",
                    "age_band",
                    "ethnicity",
                    "disability",
                    "relationship_to_suspect",
                    "risk_level",
                    "domestic_abuse",
                    "cyber_elements",
                ],
                name="case_reporting",
            ),
            models.Index(fields=["organisation", "closed_at", "status"], name="case_org_closed"),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert with a fresh reference, drawing again if another case already holds it."""
        if not self._state.adding:
            super().save(*args, **kwargs)
            return
        for attempt in range(_REFERENCE_ATTEMPTS):
            try:
                with transaction.atomic():  # a savepoint: a clash leaves the caller's work intact
                    super().save(*args, **kwargs)
                return
            except IntegrityError:
                clash = Case.unscoped.filter(reference=self.reference).exists()
                if not clash or attempt == _REFERENCE_ATTEMPTS - 1:
                    raise
                self.reference = new_reference()

    @property
    def audit_id(self) -> str:
        return str(self.public_id)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


# --- case records --------------------------------------------------------------------------------
# Every model below holds case data: a scoped default manager first (its scope registered in
# harbour.core.policy), the plain manager for internal use second, and a ``version`` where staff
# edit it (see versioning.py).


class CaseRecord(models.Model):
    """Common shape of a record that belongs to one case."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        abstract = True
        base_manager_name = "unscoped"

    @property
    def audit_id(self) -> str:
        return str(self.public_id)

    def validate_constraints(self, exclude: Any = None) -> None:
        """Left to the database: Django's check would query the scoped manager with no user."""


class Channel(models.TextChoices):
    CALL = "call", "Phone call"
    VOICEMAIL = "voicemail", "Voicemail"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    POST = "post", "Post"
    VIDEO = "video", "Video call"
    LIVE_CHAT = "live_chat", "Live chat"
    MEETING = "meeting", "Face-to-face meeting"


class PlaceKnown(models.TextChoices):
    """Whether the suspect knows the address of a face-to-face meeting."""

    NO = "no", "No"
    YES = "yes", "Yes"
    UNSURE = "unsure", "Not sure"


class ContactPreference(CaseRecord):
    """Whether, and how, a channel is safe for contacting the client."""

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    channel = models.CharField(max_length=10, choices=Channel.choices)
    safe = models.BooleanField("Safe to use", default=False)
    safe_times = EncryptedTextField(
        "Safe times",
        blank=True,
        help_text="Days and times, one window per line or separated by semicolons: for example "
        "weekdays 10:00-14:00; Sat after 10am. Leave blank if any time is safe.",
    )
    withheld_ok = models.BooleanField("A withheld number is acceptable", default=False)
    may_name_service = models.BooleanField(
        "We may say who we are",
        default=False,
        help_text="On a call, in a voicemail, on an envelope or in a message: may the service "
        "name itself? If not, staff use a neutral name.",
    )
    code_word = EncryptedCharField(
        "Code word", max_length=100, blank=True, help_text="Confirms it is safe to talk."
    )
    safe_places = EncryptedTextField(
        "Where it is safe to meet",
        blank=True,
        help_text="Places the client has said are safe: for example our office, or a named "
        "café in another town. One per line.",
    )
    known_address_ok = models.BooleanField(
        "The client agrees to meet at an address the suspect knows",
        default=False,
        help_text="Leave unticked unless the client has said so. Without it, a meeting at an "
        "address the suspect knows (or may know) is refused.",
    )
    last_confirmed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta(CaseRecord.Meta):
        constraints = [
            models.UniqueConstraint(fields=["case", "channel"], name="one_preference_per_channel")
        ]
        # The home page asks, for each of an advocate's open cases, whether safe contact needs
        # confirming: answered from this index alone, not the (encrypted, wide) rows (issue #8).
        indexes = [models.Index(fields=["case", "last_confirmed_on"], name="preference_confirmed")]

    def __str__(self) -> str:
        return self.get_channel_display()


class ContactLogEntry(CaseRecord):
    class Method(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face to face"
        PHONE = "phone", "Phone"
        LIVE_CHAT = "live_chat", "Live chat"
        EMAIL = "email", "Email"
        TEXT = "text", "Text message"
        LETTER = "letter", "Letter"
        VIDEO = "video", "Video call"

    class Direction(models.TextChoices):
        OUTBOUND = "out", "We contacted the client"
        INBOUND = "in", "The client contacted us"

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    at = models.DateTimeField("When", default=timezone.now)
    method = models.CharField(max_length=12, choices=Method.choices)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    voicemail_left = models.BooleanField("A voicemail was left", default=False)
    duration_minutes = models.PositiveIntegerField("Duration in minutes", null=True, blank=True)
    note = EncryptedTextField(blank=True)
    outside_safe_times_reason = EncryptedTextField(
        blank=True, help_text="Why an outbound contact was made outside the client's safe times."
    )
    place = EncryptedTextField("Where", blank=True, help_text="Where a face-to-face meeting was.")
    place_known_to_suspect = models.CharField(
        "Does the suspect know this address?",
        max_length=6,
        choices=PlaceKnown.choices,
        blank=True,
    )

    class Meta(CaseRecord.Meta):
        ordering = ["-at"]
        indexes = [models.Index(fields=["case", "-at"], name="contact_case_at")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.direction}"


class Suspect(CaseRecord):
    """The person (or one of the people) stalking the client. Names and description are encrypted;
    identifiers are held as blind indexes so later work can link one suspect across cases."""

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    names = EncryptedTextField("Name or names", help_text="One per line, if known.", blank=True)
    aliases = EncryptedTextField(blank=True, help_text="Nicknames or other names, one per line.")
    description = EncryptedTextField(blank=True)
    relationship = models.CharField(
        "Relationship to the client",
        max_length=20,
        choices=Relationship.choices,
        default=Relationship.UNKNOWN,
    )
    version = models.PositiveIntegerField(default=1)

    class Meta(CaseRecord.Meta):
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"suspect {self.pk}"

    @property
    def display_name(self) -> str:
        first = (self.names or "").strip().splitlines()
        return first[0] if first else "Name not known"


class SuspectIdentifier(models.Model):
    class Kind(models.TextChoices):
        PHONE = "phone", "Phone number"
        EMAIL = "email", "Email address"
        HANDLE = "handle", "Social media handle"
        VEHICLE = "vehicle", "Vehicle registration"
        WITHHELD = "withheld", "Withheld or private number"

    suspect = models.ForeignKey(Suspect, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = EncryptedCharField(max_length=200)
    index = BlindIndexField()

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        indexes = [models.Index(fields=["kind", "index"], name="suspect_identifier_lookup")]

    def __str__(self) -> str:
        return self.get_kind_display()


class NeedArea(models.TextChoices):
    EMOTIONAL_SUPPORT = "emotional_support", "Emotional support"
    REPORTING_TO_POLICE = "reporting_to_police", "Reporting to police"
    HOUSING = "housing", "Housing"
    HOME_SECURITY = "home_security", "Home security"
    SAFETY_PLANNING = "safety_planning", "Safety planning"
    LEGAL_PROCESS = "legal_process", "The legal process"
    GATHERING_EVIDENCE = "gathering_evidence", "Gathering evidence"
    LEGAL_ORDERS = "legal_orders", "Legal orders"
    COUNSELLING_HEALTH = "counselling_health", "Counselling and health"
    FINANCE = "finance", "Finance"
    EMPLOYMENT = "employment", "Employment"
    CHILDREN = "children", "Children"


class NeedLevel(models.TextChoices):
    NOT_ASSESSED = "", "Not assessed"
    NONE = "none", "No need"
    SOME = "some", "Some need"
    HIGH = "high", "High need"
    MET = "met", "Need met"


class NeedsAssessment(CaseRecord):
    """The needs assessment and support plan: a level per area plus an encrypted plan."""

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    plan = EncryptedTextField(
        "Support plan", blank=True, help_text="What the client wants from support, in their words."
    )
    review_date = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta(CaseRecord.Meta):
        constraints = [models.UniqueConstraint(fields=["case"], name="one_needs_assessment")]

    def __str__(self) -> str:
        return f"needs {self.pk}"

    def levels(self) -> list[tuple[str, str, str]]:
        """(area, area label, level label) for every area, in the standard order."""
        return [
            (area.value, area.label, getattr(self, f"get_{area.value}_display")())
            for area in NeedArea
        ]


for _area in NeedArea:
    NeedsAssessment.add_to_class(
        _area.value,
        models.CharField(
            _area.label, max_length=8, choices=NeedLevel.choices, blank=True, default=""
        ),
    )


class SupportAction(CaseRecord):
    class Status(models.TextChoices):
        OPEN = "open", "To do"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    area = models.CharField("Need", max_length=20, choices=NeedArea.choices)
    description = EncryptedTextField("What needs doing")
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("Due date")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta(CaseRecord.Meta):
        ordering = ["due_on", "pk"]
        # One case's next action (caseload column) and one person's due actions (home page).
        indexes = [
            models.Index(fields=["case", "status", "due_on"], name="action_case_status_due"),
            models.Index(fields=["owner", "status", "due_on"], name="action_owner_status_due"),
        ]

    def __str__(self) -> str:
        return f"action {self.pk}"

    @property
    def overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


SAFETY_PLAN_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("at_home", "At home", "Locks, lighting, doorbell cameras, who to call, a safe room."),
    ("out_and_about", "Out and about", "Routes, routines, travelling with others."),
    ("work_or_study", "At work or study", "Who knows, reception, parking, changing routines."),
    ("online_and_devices", "Online and devices", "Passwords, location sharing, tracking apps."),
    ("children_and_family", "Children and family", "School, childcare, what family should do."),
    ("emergency", "In an emergency", "999, the 55 silent solution, where to go, what to take."),
)


class SafetyPlan(CaseRecord):
    """The current safety plan; every save also writes a SafetyPlanVersion (its history)."""

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    notes = EncryptedTextField(blank=True)
    review_date = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta(CaseRecord.Meta):
        constraints = [models.UniqueConstraint(fields=["case"], name="one_safety_plan")]

    def __str__(self) -> str:
        return f"safety plan {self.pk}"

    def sections(self) -> list[tuple[str, str]]:
        return [(label, getattr(self, key)) for key, label, _hint in SAFETY_PLAN_SECTIONS]

    def snapshot(self) -> dict[str, Any]:
        data = {key: getattr(self, key) for key, _label, _hint in SAFETY_PLAN_SECTIONS}
        data["notes"] = self.notes
        data["review_date"] = self.review_date.isoformat() if self.review_date else None
        return data


for _key, _label, _hint in SAFETY_PLAN_SECTIONS:
    SafetyPlan.add_to_class(_key, EncryptedTextField(_label, blank=True, help_text=_hint))


class SafetyPlanVersion(models.Model):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    content = EncryptedTextField()  # JSON of SafetyPlan.snapshot()
    saved_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_safety_plan_version")
        ]

    def __str__(self) -> str:
        return f"safety plan {self.plan_id} v{self.number}"

    def data(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.content)
        return loaded

    def sections(self) -> list[tuple[str, str]]:
        data = self.data()
        return [(label, data.get(key, "")) for key, label, _hint in SAFETY_PLAN_SECTIONS]


class OnwardReferral(CaseRecord):
    class Kind(models.TextChoices):
        COUNSELLING = "counselling", "Counselling"
        HOUSING = "housing", "Housing"
        IDVA = "idva", "IDVA (independent domestic violence adviser)"
        MARAC = "marac", "MARAC"
        POLICE = "police", "Police"
        OTHER = "other", "Other"

    class Consent(models.TextChoices):
        GIVEN = "given", "The client gave explicit consent"
        NOT_GIVEN = "not_given", "No consent (a manager overrides, with a reason)"

    class Status(models.TextChoices):
        MADE = "made", "Referral made"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        COMPLETED = "completed", "Completed"

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    kind = models.CharField(max_length=12, choices=Kind.choices)
    to_organisation = EncryptedCharField("Referred to", max_length=200)
    details = EncryptedTextField("What was shared and why", blank=True)
    consent = models.CharField(max_length=10, choices=Consent.choices)
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    override_reason = EncryptedTextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MADE)
    made_on = models.DateField(default=timezone.localdate)
    version = models.PositiveIntegerField(default=1)

    class Meta(CaseRecord.Meta):
        ordering = ["-made_on", "-pk"]

    def __str__(self) -> str:
        return f"onward referral {self.pk}"


class OutcomeMeasures(CaseRecord):
    """How the client is doing, on a 1 (not at all) to 5 (completely) scale, at entry and exit."""

    class Stage(models.TextChoices):
        ENTRY = "entry", "Entry"
        EXIT = "exit", "Exit"

    class Scale(models.IntegerChoices):
        S1 = 1, "1 - Not at all"
        S2 = 2, "2"
        S3 = 3, "3"
        S4 = 4, "4"
        S5 = 5, "5 - Completely"

    MEASURES: ClassVar[tuple[tuple[str, str], ...]] = (
        ("feeling_safer", "Feeling safe"),
        ("coping", "Coping with everyday life"),
        ("health_wellbeing", "Health and wellbeing"),
        ("justice_knowledge", "Knowing about the justice process"),
    )

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    stage = models.CharField(max_length=5, choices=Stage.choices)
    feeling_safer = models.PositiveSmallIntegerField("Feeling safe", choices=Scale.choices)
    coping = models.PositiveSmallIntegerField("Coping with everyday life", choices=Scale.choices)
    health_wellbeing = models.PositiveSmallIntegerField(
        "Health and wellbeing", choices=Scale.choices
    )
    justice_knowledge = models.PositiveSmallIntegerField(
        "Knowing about the justice process", choices=Scale.choices
    )

    class Meta(CaseRecord.Meta):
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.stage} measures {self.pk}"

    def values(self) -> dict[str, int]:
        return {key: getattr(self, key) for key, _label in self.MEASURES}


class BreakGlassGrant(models.Model):
    """Emergency access for an advocate to a case of their organisation that is not theirs.

    Replaces silent over-permission (as in the NHS Summary Care Record): the advocate states why,
    the access lasts a few hours, every use is audited, and a manager reviews each grant.
    Restricted cases can never be opened this way.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="break_glass_grants")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    reason = EncryptedTextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = EncryptedTextField(blank=True)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["-granted_at"]
        indexes = [
            models.Index(fields=["user", "expires_at"]),
            models.Index(fields=["case", "user", "expires_at"], name="grant_case_user"),
            # Grants waiting for a manager's review: a few, read from here to their cases rather
            # than from every case of the organisation to its grants (issue #8).
            models.Index(fields=["reviewed_at", "case"], name="grant_unreviewed"),
        ]

    def __str__(self) -> str:
        return f"break-glass grant {self.public_id}"

    @property
    def audit_id(self) -> str:
        return str(self.public_id)

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()
