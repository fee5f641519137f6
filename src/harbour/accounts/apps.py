from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "harbour.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from harbour.accounts import totp_keys

        totp_keys.connect()  # TOTP secrets are sealed with the keyring in the database
