"""Load reproducible synthetic demo data. Refuses in production or on a database with real data.

Why unscoped: demo data is written once, by ``harbour demo``, with no signed-in user.
"""

from __future__ import annotations

import random
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from harbour.accounts.models import Organisation, ServiceArea, User
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.cases.demo import load_case_demo
from harbour.cases.models import Case, Client
from harbour.core.models import Installation
from harbour.coverage import demo as coverage_demo
from harbour.demo import bulk, data
from harbour.evidence.demo import load_evidence_demo
from harbour.justice.demo import load_justice_demo
from harbour.programmes.demo import load_programme_demo
from harbour.referrals.demo import load_referrals
from harbour.training.demo import load_training_demo

RICH_CASES = 24


class Command(BaseCommand):
    help = "Load synthetic demo organisations, users and cases (generated from a seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=data.DEFAULT_SEED)
        parser.add_argument(
            "--cases-per-provider",
            type=int,
            default=RICH_CASES,
            help=(
                f"cases per provider; the first {RICH_CASES} are fully worked through Harbour's "
                "services, the rest are bulk-written for scale tests (e.g. 25000)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("harbour demo refuses to run with production settings.")
        call_command("migrate", interactive=False, verbosity=0)
        install = Installation.objects.first()
        if install is not None and not install.is_demo:
            raise CommandError("This database holds real data; harbour demo will not touch it.")
        if install is None and (User.objects.exists() or Organisation.objects.exists()):
            raise CommandError("This database already has users; harbour demo will not touch it.")
        if install is not None and install.is_demo:
            self.stdout.write("Demo data is already loaded.")
            self._print_sign_ins(install.demo_seed or options["seed"])
            return
        seed = options["seed"]
        wanted = options["cases_per_provider"]
        with transaction.atomic():
            Installation.objects.create(is_demo=True, demo_seed=seed)
            self._load(seed, min(wanted, RICH_CASES))
            record(
                actor=None,
                verb=AuditVerb.DEMO_LOADED,
                payload={"seed": seed},
                username="harbour demo",
            )
        if wanted > RICH_CASES:
            made = bulk.generate(
                wanted, seed=seed, skip=RICH_CASES, progress=lambda line: self.stdout.write(line)
            )
            record(
                actor=None,
                verb=AuditVerb.DEMO_SCALED,
                payload={"cases_added": made},
                username="harbour demo",
            )
        self._print_sign_ins(seed)

    def _load(self, seed: int, per_provider: int) -> None:
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        rng = random.Random(seed)  # noqa: S311 - demo data only
        orgs: dict[str, Organisation] = {}
        for spec in data.ORGANISATIONS:
            org = Organisation.objects.create(
                name=spec.name,
                short_name=spec.short_name,
                kind=spec.kind,
                area_name=spec.area,
                panel_name=spec.panel_name,
            )
            orgs[spec.key] = org
            ServiceArea.objects.bulk_create(
                [ServiceArea(organisation=org, postcode_district=d) for d in spec.districts]
            )
        coverage_demo.load(orgs)
        users: dict[str, User] = {}
        for username, org_key, role in data.USERS:
            user = User(
                username=username,
                organisation=orgs[org_key],
                role=role,
                full_name=" ".join(data.person_name(fake)),
            )
            user.set_password(data.DEMO_PASSWORD)
            user.save()
            TOTPDevice.objects.create(
                user=user,
                name="Authenticator app",
                confirmed=True,
                key=data.totp_key(seed, username).hex(),
            )
            users[username] = user
        now = timezone.now()
        for spec in data.ORGANISATIONS:
            if spec.kind != "provider":
                continue
            org = orgs[spec.key]
            districts = spec.districts or data.KENT[40:60]
            advocates = [
                u for u in users.values() if u.organisation_id == org.pk and u.role == "advocate"
            ]
            managers = [
                u for u in users.values() if u.organisation_id == org.pk and u.role == "manager"
            ]
            for i, person in enumerate(data.people(seed + org.pk, districts, per_provider)):
                client = Client(organisation=org, **person.__dict__)
                client.save()
                case = Case.unscoped.create(
                    organisation=org,
                    client=client,
                    opened_at=now - data.opened_offset(rng),
                    allocated_to=(advocates[i % len(advocates)] if advocates and i % 5 else None),
                    status=Case.Status.CLOSED if i % 7 == 6 else Case.Status.OPEN,
                    restricted=(i == 3),
                )
                if case.status == Case.Status.CLOSED:
                    case.closed_at = case.opened_at + data.opened_offset(rng) / 3
                    case.save(update_fields=["closed_at"])
                if case.restricted:
                    case.named_users.set([*managers[:1], *advocates[:1]])
        load_case_demo(seed)
        load_referrals(seed, orgs, users)

        load_evidence_demo(seed, orgs, users)

        load_training_demo(seed, orgs, users)
        load_programme_demo(seed, orgs, users)

        load_justice_demo(seed, orgs, users)
        from harbour.reporting.demo import load_reporting_demo

        load_reporting_demo(seed, orgs, users)

    def _print_sign_ins(self, seed: int) -> None:
        self.stdout.write(f"\nDemo sign-ins (password for all: {data.DEMO_PASSWORD}):")
        for username, _org, role in data.USERS:
            self.stdout.write(
                f"  {username:24} {role:24} TOTP secret {data.totp_secret_base32(seed, username)}"
            )
        self.stdout.write("Full list with organisations: docs/demo.md\n")
