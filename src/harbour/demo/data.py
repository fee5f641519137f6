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
    #: What the area calls its multi-agency stalking panel or clinic ("" for the default).
    panel_name: str = ""


def _range(prefix: str, *numbers: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{n}" for n in numbers)


KENT = (
    _range("CT", *range(1, 22))
    + _range("ME", *range(1, 21))
    + _range("TN", *range(1, 19), *range(23, 31))
    + _range("DA", 1, 2, 3, 4, 9, 10, 11, 12, 13)
    + ("BR8",)
)
# Derby city and Derbyshire county share DE postcodes; Derbyshire also runs into NG, S and SK.
# Districts here are the whole-district rules; SECTORS (below) split the districts the boundary
# cuts. Close to the real split, not exact: docs/routing.md says how to load the ONS table instead.
DERBY_CITY = _range("DE", 1, 3, 21, 22, 23, 24)
DERBYSHIRE = (
    _range("DE", 4, 5, 6, 7, 11, 45, 55, 56, 65, 72, 73, 75)
    + _range("NG", 10)
    + _range("S", 18, 21, 32, 33, 40, 41, 42, 43, 44, 45)
    + _range("SK", 13, 17, 22, 23)
)

#: Sector rules (organisation key, sector, what it is): the longest match wins over the district.
SECTORS = (
    ("glow", "DE73 5", "Chellaston (Derby city) inside DE73"),
    ("glow", "DE73 6", "Chellaston and Shelton Lock (Derby city) inside DE73"),
    ("crd", "DE21 5", "Little Eaton and Breadsall (Derbyshire) inside DE21"),
    ("crd", "NG16 6", "Pinxton (Derbyshire)"),
    ("crd", "NG20 8", "Shirebrook (Derbyshire)"),
    ("crd", "S80 4", "Whitwell and Creswell (Derbyshire)"),
)

#: Who acts on referrals no rule covers: Crossroads for the DE area (the Leicestershire parts of
#: DE12 and DE74), Victim Support Kent everywhere else (blank area).
TRIAGE_TEAMS = (("DE", "crd"), ("", "km"))

#: Local authorities (ONS codes) mapped to providers, for postcodes in the imported table.
AUTHORITIES = (
    ("E06000015", "Derby", "glow"),
    ("E10000007", "Derbyshire", "crd"),
)

#: A synthetic extract in the ONS Postcode Directory's format (made-up postcodes, real authority
#: codes): loaded by the demo so the postcode table can be tried (harbour areas which DE73 8AA).
ONSPD_SAMPLE = """pcd,pcd2,pcds,dointr,doterm,oscty,oslaua,ctry
DE1  1AA,DE1  1AA,DE1 1AA,198001,,E99999999,E06000015,E92000001
DE73 5AA,DE73 5AA,DE73 5AA,198001,,E99999999,E06000015,E92000001
DE73 8AA,DE73 8AA,DE73 8AA,198001,,E10000007,E07000039,E92000001
DE4  3AA,DE4  3AA,DE4 3AA,198001,,E10000007,E07000035,E92000001
NG10 1AA,NG10 1AA,NG10 1AA,198001,,E10000007,E07000036,E92000001
S80  4AA,S80  4AA,S80 4AA,198001,,E10000007,E07000033,E92000001
DE74 2AA,DE74 2AA,DE74 2AA,198001,,E10000018,E07000134,E92000001
LE1  1AA,LE1  1AA,LE1 1AA,198001,,E99999999,E06000016,E92000001
"""


def _avoid_split_sectors(district: str, digit: int) -> int:
    """Demo people of a district never live in a sector another provider covers."""
    taken = {sector for _org, sector, _note in SECTORS}
    if f"{district} {digit}" not in taken:
        return digit
    return next(d for d in range(1, 10) if f"{district} {d}" not in taken)


ORGANISATIONS = (
    DemoOrg(
        "km",
        "Victim Support (Kent & Medway)",
        "Victim Support Kent",
        "provider",
        "Kent and Medway",
        KENT,
        "the Kent and Medway stalking clinic",
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
    DemoOrg(
        "glow",
        "Glow (Derby city)",
        "Glow",
        "provider",
        "Derby city",
        DERBY_CITY,
        "the Derby and Derbyshire multi-agency stalking panel",
    ),
    DemoOrg(
        "crd",
        "Crossroads Derbyshire",
        "Crossroads",
        "provider",
        "Derbyshire",
        DERBYSHIRE,
        "the Derby and Derbyshire multi-agency stalking panel",
    ),
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
        digit = _avoid_split_sectors(district, rng.randint(1, 9))
        postcode = f"{district} {digit}{rng.choice('ABDEFGHJLNPQRSTUWXY')}{rng.choice('ABDEFGHJLNPQRSTUWXY')}"
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
