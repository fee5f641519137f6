from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "harbour.alerts"
    label = "alerts"
    verbose_name = "Staff alerts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from harbour.alerts import triggers

        triggers.connect()
