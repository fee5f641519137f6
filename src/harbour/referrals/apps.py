from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "harbour.referrals"
    label = "referrals"
    default_auto_field = "django.db.models.BigAutoField"
