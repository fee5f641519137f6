"""Re-key an existing audit chain from plain SHA-256 to HMAC-SHA256 under the keyring.

Runs once, with the operator's keyring: the old chain is verified first (unkeyed) and only an intact
chain is re-hashed; a broken one stops the upgrade so the break is not laundered into a valid chain.
"""

from django.db import migrations


def rekey(apps, schema_editor):
    from harbour.audit.chain import GENESIS, legacy_row_hash, row_hash
    from harbour.audit.log import hashed_fields

    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditHead = apps.get_model("audit", "AuditHead")
    events = AuditEvent.objects.order_by("seq")
    if not events.exists():
        return
    from harbour.core.crypto import keyring

    key = keyring().derived_key("audit-chain")
    previous_old, previous_new, expected = GENESIS, GENESIS, 1
    for event in events.iterator(chunk_size=2000):
        fields = hashed_fields(event)
        if event.seq != expected or event.prev_hash != previous_old:
            raise RuntimeError(f"audit chain broken at row #{expected}: not re-keyed")
        if legacy_row_hash(previous_old, fields) != event.hash:
            raise RuntimeError(f"audit chain broken at row #{event.seq}: not re-keyed")
        new_hash = row_hash(previous_new, fields, key)
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=previous_new, hash=new_hash)
        previous_old, previous_new, expected = event.hash, new_hash, expected + 1
    AuditHead.objects.filter(pk=1).update(hash=previous_new)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
