import contextlib

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "harbour.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from harbour.core import checks  # noqa: F401 - registers the system checks

        post_migrate.connect(_store_key_check, sender=self)
        post_migrate.connect(_analyse_new_indexes, sender=self)


def _store_key_check(sender: object, **kwargs: object) -> None:
    """After the first migrate, the database remembers which keyring it belongs to."""
    from harbour.core import keycheck
    from harbour.core.crypto import KeyringError

    # No keys yet (production before `harbour keys init`): stored after the next migrate.
    with contextlib.suppress(KeyringError):
        keycheck.ensure()


def _analyse_new_indexes(sender: object, using: str = "default", **kwargs: object) -> None:
    """A migration that adds an index to a table with rows gives the planner its statistics at once
    (``harbour.core.statistics``): without them SQLite may prefer the new index everywhere."""
    from django.db import connections

    from harbour.core.statistics import analyse_unanalysed

    analyse_unanalysed(connections[using])
