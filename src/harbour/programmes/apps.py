from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "harbour.programmes"
    label = "programmes"
    default_auto_field = "django.db.models.BigAutoField"
