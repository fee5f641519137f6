"""Expected statuses for public:* URLs: open to everyone, signed in or not, with no account."""

from __future__ import annotations

from tests.access.routes import Route, statuses

SAFE_CONTACT = {
    "phone": "07911 123456",
    "postcode": "NS1 2AB",
    "safe_channels": ["call", "text"],
}
SELF_REFERRAL = {
    "what_is_happening": "Someone keeps turning up outside my work.",
    "how_long": "1_to_6_months",
    "suspect_relationship": "acquaintance",
    "reported_to_police": "no",
    "given_name": "Isadora",
    "consent_to_contact": "on",
    **SAFE_CONTACT,
}
FAMILY = {
    "referrer_role": "parent",
    "what_is_happening": "My daughter is being followed.",
    "given_name": "Barnaby",
    "consent_to_contact": "on",
    **SAFE_CONTACT,
}
PROFESSIONAL = {
    "referrer_name": "Dr Example",
    "referrer_role": "gp",
    "referrer_email": "gp@example.org",
    "what_is_happening": "Patient describes repeated unwanted contact.",
    "given_name": "Ottilie",
    "consent_to_contact": "on",
    **SAFE_CONTACT,
}
SELF_CHECK = {
    "fixated": "yes",
    "obsessive": "yes",
    "unwanted": "yes",
    "repeated": "yes",
    "frightened": "no",
}


def _post(name: str, data: dict[str, object], status: int = 302) -> Route:
    return Route(name, statuses(status), method="POST", data=lambda world: data, mutates=True)


ROUTES = [
    Route("public:start", statuses(200)),
    Route("public:index", statuses(200)),
    Route("public:sent", statuses(200)),
    Route("public:sent_no_local_service", statuses(200)),
    Route("public:sent_helpline", statuses(200)),
    # Leaving always redirects to the neutral site (and ends any session).
    Route("public:leave", statuses(302), mutates=True),
    _post("public:leave", {}),
    Route("public:self_referral", statuses(200)),
    _post("public:self_referral", SELF_REFERRAL),
    Route("public:family", statuses(200)),
    _post("public:family", FAMILY),
    Route("public:professional", statuses(200)),
    _post("public:professional", PROFESSIONAL),
    Route("public:self_check", statuses(200)),
    _post("public:self_check", SELF_CHECK, status=200),
]
