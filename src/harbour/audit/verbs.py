"""Every audit verb Harbour writes: an enumeration, so reports and reviews can trust them.

As zulip's ``AuditLogEventType``: ``record()`` refuses a verb that is not listed here, so a typo or a
new event without a name fails its first test instead of writing a string no report knows. Verbs
read "noun.past_tense" (``case.viewed``); add new ones here, grouped by noun.
"""

from __future__ import annotations

from enum import StrEnum

# Names such as AUTH_PASSWORD_CHANGED are event names, not secrets (ruff S105 would say otherwise).
# ruff: noqa: S105


class AuditVerb(StrEnum):
    ACCESS_DENIED = "access.denied"

    ADMIN_ADDED = "admin.added"
    ADMIN_CHANGE_REFUSED = "admin.change_refused"
    ADMIN_CHANGED = "admin.changed"
    ADMIN_DELETED = "admin.deleted"

    API_TOKEN_CREATED = "api_token.created"
    API_TOKEN_REVOKED = "api_token.revoked"

    AUTH_ADDRESS_THROTTLED = "auth.address_throttled"
    AUTH_FAILED = "auth.failed"
    AUTH_LOCKED_OUT = "auth.locked_out"
    AUTH_MFA_ENROLLED = "auth.mfa_enrolled"
    AUTH_MFA_FAILED = "auth.mfa_failed"
    AUTH_PASSWORD_CHANGE_REFUSED = "auth.password_change_refused"
    AUTH_PASSWORD_CHANGED = "auth.password_changed"
    AUTH_PASSWORD_OK = "auth.password_ok"
    AUTH_RECOVERY_CODES_REPLACED = "auth.recovery_codes_replaced"
    AUTH_SESSION_EXPIRED = "auth.session_expired"
    AUTH_SIGNED_IN = "auth.signed_in"
    AUTH_SIGNED_OUT = "auth.signed_out"
    AUTH_STEP_UP = "auth.step_up"
    AUTH_STEP_UP_EXHAUSTED = "auth.step_up_exhausted"
    AUTH_STEP_UP_FAILED = "auth.step_up_failed"
    AUTH_TEMPORARY_PASSWORD_EXPIRED = "auth.temporary_password_expired"

    CASE_ACCESS_LOG_VIEWED = "case.access_log_viewed"
    CASE_ACTION_ADDED = "case.action_added"
    CASE_ACTION_CHANGED = "case.action_changed"
    CASE_ACTION_COMPLETED = "case.action_completed"
    CASE_ACTION_FORM_VIEWED = "case.action_form_viewed"
    CASE_ACTION_VIEWED = "case.action_viewed"
    CASE_ADDRESS_REVEALED = "case.address_revealed"
    CASE_ALLOCATED = "case.allocated"
    CASE_ALLOCATION_VIEWED = "case.allocation_viewed"
    CASE_BREAK_GLASS = "case.break_glass"
    CASE_BREAK_GLASS_LIST_VIEWED = "case.break_glass_list_viewed"
    CASE_BREAK_GLASS_REFUSED = "case.break_glass_refused"
    CASE_BREAK_GLASS_REVIEWED = "case.break_glass_reviewed"
    CASE_CLIENT_CHANGED = "case.client_changed"
    CASE_CLIENT_EDIT_VIEWED = "case.client_edit_viewed"
    CASE_CLOSED = "case.closed"
    CASE_CLOSURE_FORM_VIEWED = "case.closure_form_viewed"
    CASE_CLOSURE_REQUESTED = "case.closure_requested"
    CASE_CLOSURE_RETURNED = "case.closure_returned"
    CASE_CONTACT_FORM_VIEWED = "case.contact_form_viewed"
    CASE_CONTACT_LOG_VIEWED = "case.contact_log_viewed"
    CASE_CONTACT_LOGGED = "case.contact_logged"
    CASE_CONTACT_PREFERENCE_CHANGED = "case.contact_preference_changed"
    CASE_CONTACT_PREFERENCE_VIEWED = "case.contact_preference_viewed"
    CASE_CONTACT_PREFERENCES_CONFIRMED = "case.contact_preferences_confirmed"
    CASE_CONTACT_REFUSED_UNSAFE = "case.contact_refused_unsafe"
    CASE_DETAILS_CHANGED = "case.details_changed"
    CASE_EDIT_VIEWED = "case.edit_viewed"
    CASE_ENTRY_MEASURES_RECORDED = "case.entry_measures_recorded"
    CASE_EXIT_MEASURES_RECORDED = "case.exit_measures_recorded"
    CASE_LIST_VIEWED = "case.list_viewed"
    CASE_MEASURES_FORM_VIEWED = "case.measures_form_viewed"
    CASE_NEEDS_CHANGED = "case.needs_changed"
    CASE_NEEDS_VIEWED = "case.needs_viewed"
    CASE_ONWARD_REFERRAL_CHANGED = "case.onward_referral_changed"
    CASE_ONWARD_REFERRAL_FORM_VIEWED = "case.onward_referral_form_viewed"
    CASE_ONWARD_REFERRAL_MADE = "case.onward_referral_made"
    CASE_ONWARD_REFERRAL_VIEWED = "case.onward_referral_viewed"
    CASE_OPENED = "case.opened"
    CASE_REOPEN_FORM_VIEWED = "case.reopen_form_viewed"
    CASE_REOPENED = "case.reopened"
    CASE_SAFETY_PLAN_CHANGED = "case.safety_plan_changed"
    CASE_SAFETY_PLAN_HISTORY_VIEWED = "case.safety_plan_history_viewed"
    CASE_SAFETY_PLAN_VERSION_VIEWED = "case.safety_plan_version_viewed"
    CASE_SAFETY_PLAN_VIEWED = "case.safety_plan_viewed"
    CASE_SIGN_OFF_VIEWED = "case.sign_off_viewed"
    CASE_SUSPECT_ADDED = "case.suspect_added"
    CASE_SUSPECT_CHANGED = "case.suspect_changed"
    CASE_SUSPECT_FORM_VIEWED = "case.suspect_form_viewed"
    CASE_SUSPECT_VIEWED = "case.suspect_viewed"
    CASE_VIEWED = "case.viewed"

    DEMO_LOADED = "demo.loaded"
    DEMO_SCALED = "demo.scaled"

    EDIT_CONFLICT = "edit.conflict"

    EVIDENCE_BUNDLE_DOWNLOADED = "evidence.bundle_downloaded"
    EVIDENCE_BUNDLE_PRODUCED = "evidence.bundle_produced"
    EVIDENCE_BUNDLE_SHARE_REFUSED = "evidence.bundle_share_refused"
    EVIDENCE_BUNDLE_SHARED = "evidence.bundle_shared"
    EVIDENCE_BUNDLE_VERIFIED = "evidence.bundle_verified"
    EVIDENCE_BUNDLE_VIEWED = "evidence.bundle_viewed"
    EVIDENCE_BUNDLES_VIEWED = "evidence.bundles_viewed"
    EVIDENCE_CONSENT_VIEWED = "evidence.consent_viewed"
    EVIDENCE_DIARY_VIEWED = "evidence.diary_viewed"
    EVIDENCE_DOWNLOADED = "evidence.downloaded"
    EVIDENCE_EXPORTED = "evidence.exported"
    EVIDENCE_FILES_VIEWED = "evidence.files_viewed"
    EVIDENCE_INCIDENT_CORRECT_VIEWED = "evidence.incident_correct_viewed"
    EVIDENCE_INCIDENT_CORRECTED = "evidence.incident_corrected"
    EVIDENCE_INCIDENT_FORM_VIEWED = "evidence.incident_form_viewed"
    EVIDENCE_INCIDENT_LOGGED = "evidence.incident_logged"
    EVIDENCE_INCIDENT_VIEWED = "evidence.incident_viewed"
    EVIDENCE_ITEM_VIEWED = "evidence.item_viewed"
    EVIDENCE_PATTERN_VIEWED = "evidence.pattern_viewed"
    EVIDENCE_POLICE_CONSENT_RECORDED = "evidence.police_consent_recorded"
    EVIDENCE_PREVIEW_VIEWED = "evidence.preview_viewed"
    EVIDENCE_SHARED = "evidence.shared"
    EVIDENCE_SHARED_BUNDLES_VIEWED = "evidence.shared_bundles_viewed"
    EVIDENCE_UPLOAD_VIEWED = "evidence.upload_viewed"
    EVIDENCE_UPLOADED = "evidence.uploaded"

    IMPORT_DONE = "import.done"
    IMPORT_FAILED = "import.failed"
    IMPORT_FLAG_CONFIRMED = "import.flag_confirmed"
    IMPORT_FLAG_DISMISSED = "import.flag_dismissed"
    IMPORT_FORM_VIEWED = "import.form_viewed"
    IMPORT_MESSAGES_VIEWED = "import.messages_viewed"
    IMPORT_PARTICIPANTS_CHOSEN = "import.participants_chosen"
    IMPORT_RESUMED = "import.resumed"
    IMPORT_SCANNED = "import.scanned"
    IMPORT_STARTED = "import.started"
    IMPORT_VIEWED = "import.viewed"

    REFERRAL_ACCEPTED = "referral.accepted"
    REFERRAL_ADDRESS_REVEALED = "referral.address_revealed"
    REFERRAL_CONTACT_ATTEMPTED = "referral.contact_attempted"
    REFERRAL_DECLINED = "referral.declined"
    REFERRAL_MERGED = "referral.merged"
    REFERRAL_OUT_OF_AREA = "referral.out_of_area"
    REFERRAL_QUEUE_VIEWED = "referral.queue_viewed"
    REFERRAL_RECEIVED = "referral.received"
    REFERRAL_REROUTED = "referral.rerouted"
    REFERRAL_ROUTED = "referral.routed"
    REFERRAL_SENT_LIST_VIEWED = "referral.sent_list_viewed"
    REFERRAL_SIGNPOSTED = "referral.signposted"
    REFERRAL_SOURCES_VIEWED = "referral.sources_viewed"
    REFERRAL_STATUS_READ = "referral.status_read"
    REFERRAL_UNABLE_TO_CONTACT = "referral.unable_to_contact"
    REFERRAL_UNSAFE_CHANNEL_REFUSED = "referral.unsafe_channel_refused"
    REFERRAL_VIEWED = "referral.viewed"

    RISK_ASSESSMENT_FORM_VIEWED = "risk.assessment_form_viewed"
    RISK_ASSESSMENT_RECORDED = "risk.assessment_recorded"
    RISK_ASSESSMENT_VIEWED = "risk.assessment_viewed"
    RISK_INSTRUMENT_LOADED = "risk.instrument_loaded"
    RISK_INSTRUMENTS_VIEWED = "risk.instruments_viewed"
    RISK_MARAC_CHANGED = "risk.marac_changed"
    RISK_MARAC_FORM_VIEWED = "risk.marac_form_viewed"
    RISK_MARAC_REFERRED = "risk.marac_referred"
    RISK_MARAC_VIEWED = "risk.marac_viewed"
    RISK_LEVEL_CHANGED = "risk.level_changed"
    RISK_LEVEL_FORM_VIEWED = "risk.level_form_viewed"

    TEST_EVENT = "test.event"

    USER_CREATED = "user.created"
    USER_DISABLED = "user.disabled"
    USER_ENABLED = "user.enabled"
    USER_MFA_RESET = "user.mfa_reset"
    USER_ROLE_APPROVED = "user.role_approved"
    USER_ROLE_CHANGED = "user.role_changed"
    USER_ROLE_DECLINED = "user.role_declined"
    USER_ROLE_REQUESTED = "user.role_requested"
    USER_TEMPORARY_PASSWORD_ISSUED = "user.temporary_password_issued"

    @property
    def label(self) -> str:
        """Words for people (an access log): ``case.address_revealed`` -> "Case: address revealed"."""
        noun, action = self.value.split(".", 1)
        return f"{noun.replace('_', ' ').capitalize()}: {action.replace('_', ' ')}"


def label_of(verb: str) -> str:
    """The words for a stored verb, or the verb itself if an older release wrote one since renamed."""
    try:
        return AuditVerb(verb).label
    except ValueError:
        return verb
