"""Keep each suspect's name blind indexes (``justice.SuspectNameKey``) in step with its names."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from harbour.cases.models import Suspect
from harbour.justice.services import refresh_name_keys


@receiver(post_save, sender=Suspect, dispatch_uid="justice-suspect-name-keys")
def suspect_saved(sender: Any, instance: Suspect, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return

    refresh_name_keys(instance)
