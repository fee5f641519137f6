from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "harbour.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"
