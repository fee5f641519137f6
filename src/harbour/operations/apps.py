from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "harbour.operations"
    label = "operations"
    verbose_name = "Operations: health, metrics, error reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from harbour.audit.models import AuditEvent
        from harbour.operations import checks, metrics  # noqa: F401 - registers the checks

        post_save.connect(metrics.on_audit_event, sender=AuditEvent, dispatch_uid="metrics-audit")
