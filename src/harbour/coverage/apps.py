from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "harbour.coverage"
    label = "coverage"
    verbose_name = "Coverage and routing"
    default_auto_field = "django.db.models.BigAutoField"
