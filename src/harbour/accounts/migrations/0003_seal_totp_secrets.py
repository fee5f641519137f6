"""Seal every TOTP secret already in the database with the keyring (see accounts.totp_keys)."""

from django.db import migrations


def seal_existing(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    devices = TOTPDevice.objects.exclude(key__startswith="hb:")
    if not devices.exists():
        return
    from harbour.accounts.totp_keys import seal

    for device in devices.iterator():
        TOTPDevice.objects.filter(pk=device.pk).update(key=seal(device.key))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_approvals_temporary_passwords_notices"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(seal_existing, migrations.RunPython.noop)]
