"""The contract for the role x URL matrix (tests/access/test_matrix.py).

Every app adds a module ``tests/access/expect_<app>.py`` defining:

    ROUTES: list[Route]              # one entry per URL name (and method) the app serves
    def build(world: World) -> None  # optional: create the objects its URLs need on ``world``

The matrix test walks every URL pattern in the project and fails when a URL name has no Route, and
checks every Route for every member of the cast plus "anon". Statuses are what the *first* response
is (no redirects followed): e.g. 200, 302 (redirect to sign-in or elsewhere), 404 (not yours), 405.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: Everyone the matrix signs in as. "anon" is not signed in at all.
PEOPLE = ("anon", "alice", "amir", "mia", "tariq", "ada", "bob", "bea", "pete", "cora", "priya")


@dataclass
class World:
    """Objects the routes point at; ``build`` functions add their own attributes."""

    cast: dict[str, Any]
    orgs: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["extra"][name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True)
class Route:
    name: str
    expect: Mapping[str, int]
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    method: str = "GET"
    data: Callable[[World], dict[str, Any]] | None = None
    #: True when the request changes state (POST): the matrix then runs it on a fresh world per
    #: person so one person's success cannot change what the next sees.
    mutates: bool = False


def statuses(default: int, **overrides: int) -> dict[str, int]:
    """``statuses(404, alice=200, mia=200, anon=302)``: everyone gets ``default`` unless named."""
    result = dict.fromkeys(PEOPLE, default)
    unknown = set(overrides) - set(PEOPLE)
    if unknown:
        raise ValueError(f"not in the cast: {sorted(unknown)}")
    result.update(overrides)
    return result
