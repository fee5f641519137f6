"""The authentication backend: Django's ModelBackend, loading a signed-in person's organisation
with them.

Every staff page reads the person's organisation (its name in the header, its kind in every policy
check), so loading the two in one query saves a query on every page (issue #8); the query is
compiled once per connection.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from harbour.core.precompiled import Precompiled

#: The dotted path sessions record for people signed in through this backend.
PATH = "harbour.accounts.backends.StaffBackend"


def _person(user_id: int) -> Any:
    return get_user_model()._default_manager.select_related("organisation").filter(pk=user_id)


#: Compiled once per connection (``harbour.core.precompiled``): it runs on every staff request.
_PERSON = Precompiled(_person)


class StaffBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        # Django's session loader gives the primary key as its field makes it (a whole number)
        people = _PERSON(user_id) if type(user_id) is int else list(_person(user_id))
        if not people:
            return None
        user = people[0]
        return user if self.user_can_authenticate(user) else None
