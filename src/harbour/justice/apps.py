from django.apps import AppConfig


class JusticeConfig(AppConfig):
    name = "harbour.justice"
    label = "justice"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from harbour.justice import signals  # noqa: F401 - keeps suspects' name keys in step
