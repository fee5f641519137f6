"""The authentication backend: Django's ModelBackend, loading a signed-in person's organisation
with them.

Every staff page reads the person's organisation (its name in the header, its kind in every policy
check), so loading the two in one query saves a query on every page (issue #8).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

#: The dotted path sessions record for people signed in through this backend.
PATH = "harbour.accounts.backends.StaffBackend"


class StaffBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            user = model._default_manager.select_related("organisation").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
