"""Reproducible synthetic demo data. Every person is invented by Faker from a fixed seed."""

from __future__ import annotations

import base64
import hashlib
import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from faker import Faker

DEMO_PASSWORD = "harbour-demo-only"  # noqa: S105 - documented demo credential, refused in production
DEFAULT_SEED = 2026


@dataclass(frozen=True)
class DemoOrg:
    key: str
    name: str
    short_name: str
    kind: str
    area: str
    districts: tuple[str, ...] = ()


def _range(prefix: str, *numbers: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{n}" for n in numbers)


KENT = (
    _range("CT", *range(1, 22))
    + _range("ME", *range(1, 21))
    + _range("TN", *range(1, 19), *range(23, 31))
    + _range("DA", 1, 2, 3, 4, 9, 10, 11, 12, 13)
    + ("BR8",)
)
DERBY_CITY = _range("DE", 1, 3, 21, 22, 23, 24)
DERBYSHIRE = (
    _range("DE", 4, 5, 6, 7, 11, 12, 45, 55, 56, 65, 72, 73, 74, 75)
    + _range("S", 18, 21, 32, 33, 40, 41, 42, 43, 44, 45)
    + _range("SK", 13, 17, 22, 23)
)

ORGANISATIONS = (
    DemoOrg(
        "km",
        "Victim Support (Kent & Medway)",
        "Victim Support Kent",
        "provider",
        "Kent and Medway",
        KENT,
    ),
    DemoOrg(
        "wk", "Protection Against Stalking (West Kent)", "PAS West Kent", "provider", "West Kent"
    ),
    DemoOrg("kentpol", "Kent Police", "Kent Police", "police_force", "Kent"),
    DemoOrg(
        "kentpcc",
        "Office of the Kent Police and Crime Commissioner",
        "Kent PCC",
        "commissioner",
        "Kent",
    ),
    DemoOrg("glow", "Glow (Derby city)", "Glow", "provider", "Derby city", DERBY_CITY),
    DemoOrg("crd", "Crossroads Derbyshire", "Crossroads", "provider", "Derbyshire", DERBYSHIRE),
    DemoOrg("derpol", "Derbyshire Constabulary", "Derbyshire Police", "police_force", "Derbyshire"),
    DemoOrg(
        "derpcc",
        "Office of the Derbyshire Police and Crime Commissioner",
        "Derbyshire PCC",
        "commissioner",
        "Derbyshire",
    ),
    DemoOrg(
        "pp",
        "Pathways Perpetrator Programme",
        "Pathways",
        "perpetrator_programme",
        "Kent and Derbyshire",
    ),
)

#: (username, organisation key, role)
USERS = (
    ("km-advocate", "km", "advocate"),
    ("km-advocate-2", "km", "advocate"),
    ("km-manager", "km", "manager"),
    ("km-trainer", "km", "trainer"),
    ("km-admin", "km", "admin"),
    ("wk-advocate", "wk", "advocate"),
    ("wk-manager", "wk", "manager"),
    ("wk-trainer", "wk", "trainer"),
    ("kent-police", "kentpol", "police_coordinator"),
    ("kent-police-admin", "kentpol", "admin"),
    ("kent-pcc", "kentpcc", "commissioner"),
    ("glow-advocate", "glow", "advocate"),
    ("glow-manager", "glow", "manager"),
    ("crossroads-advocate", "crd", "advocate"),
    ("crossroads-manager", "crd", "manager"),
    ("derbys-police", "derpol", "police_coordinator"),
    ("derbys-pcc", "derpcc", "commissioner"),
    ("pathways-practitioner", "pp", "programme_practitioner"),
    ("pathways-manager", "pp", "manager"),
)


def totp_key(seed: int, username: str) -> bytes:
    """A reproducible 20-byte TOTP key for a demo user (demo data only)."""
    return hashlib.sha256(f"harbour-demo-totp:{seed}:{username}".encode()).digest()[:20]


def totp_secret_base32(seed: int, username: str) -> str:
    return base64.b32encode(totp_key(seed, username)).decode("ascii")


@dataclass(frozen=True)
class DemoPerson:
    given_name: str
    family_name: str
    date_of_birth: object
    phone: str
    email: str
    address: str
    postcode: str


_HEX_LETTERS = frozenset("abcdef")


def hex_safe(name: str) -> bool:
    """False for names spelt only with a-f (e.g. "Ada", "Bea"): hex ciphertext could contain them."""
    letters = {c for c in name.lower() if c.isalpha()}
    return not letters <= _HEX_LETTERS


def person_name(fake: Any) -> tuple[str, str]:
    """A Faker first and last name that cannot appear by chance in hex ciphertext."""
    while True:
        given, family = fake.first_name(), fake.last_name()
        if hex_safe(given) and hex_safe(family):
            return given, family


def people(seed: int, districts: tuple[str, ...], count: int) -> list[DemoPerson]:
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    result = []
    for _ in range(count):
        given, family = person_name(fake)
        district = rng.choice(districts)
        postcode = f"{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXY')}{rng.choice('ABDEFGHJLNPQRSTUWXY')}"
        result.append(
            DemoPerson(
                given_name=given,
                family_name=family,
                date_of_birth=fake.date_of_birth(minimum_age=17, maximum_age=80),
                phone=f"07700 9{rng.randint(0, 99999):05d}",
                email=f"{given}.{family}{rng.randint(1, 99)}@example.org".lower(),
                address=f"{fake.building_number()} {fake.street_name()}\n{fake.city()}",
                postcode=postcode,
            )
        )
    return result


def opened_offset(rng: random.Random) -> timedelta:
    return timedelta(days=rng.randint(1, 330), hours=rng.randint(8, 18))
