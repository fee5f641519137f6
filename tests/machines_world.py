"""Set-up for tests/test_several_machines.py, run as its own process against the shared database
(and object store) named in its environment:

    python -m tests.machines_world setup   # migrate; the cast, a case; prints Alice's session

Alice's session is made the way tests sign people in (forced login, a confirmed second factor).
"""

from __future__ import annotations

import json
import os
import time

import django


def setup() -> None:
    from django.core.management import call_command
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from harbour.accounts.middleware import SESSION_SEEN, SESSION_STARTED
    from harbour.cases.services import open_case
    from tests.conftest import make_cast, make_orgs

    call_command("migrate", interactive=False, verbosity=0)
    orgs = make_orgs()
    cast = make_cast(orgs)
    case = open_case(
        organisation=orgs["provider_a"],
        client_fields={"given_name": "Wren", "family_name": "Manymachines"},
        by=cast["mia"],
        allocated_to=cast["alice"],
        source="test",
    )
    alice = cast["alice"]
    device = TOTPDevice.objects.filter(user=alice, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    from harbour.accounts.backends import PATH as STAFF_BACKEND

    client = Client()
    client.force_login(alice, backend=STAFF_BACKEND)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_STARTED] = session[SESSION_SEEN] = time.time()
    session.save()
    print(json.dumps({"case": case.reference, "session": session.session_key}))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
    django.setup()
    setup()
