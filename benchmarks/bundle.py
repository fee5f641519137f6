"""How long an evidence bundle takes: 5,000 chronology entries, 200 exhibits and the charts.

    .venv/bin/python benchmarks/bundle.py [--entries 5000] [--exhibits 200]

Runs against a throwaway SQLite database in a temporary data directory (never real data). Builds a
case with a two-year diary through Harbour's own models (so every text field is really encrypted)
and uploads the exhibits through ``store_evidence`` (encrypted at rest, hashed). Then it times
``produce_bundle`` end to end: reading and decrypting the diary, the pattern and charts, the PDF
(WeasyPrint, tagged PDF/UA-1), streaming every exhibit out of encrypted storage into the ZIP with
its hash checked, the manifests, and sealing the ZIP back into storage. Floors, measured in the same
run: the same chronology rows written to CSV, and the same exhibit bytes zipped from memory.
Target: the whole bundle in 30 s or less.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

TEXTS = [
    "Calls from a withheld number; silence when answered, then he hung up.",
    "WhatsApp messages saying he only wants to talk and she owes him that. He sent a photo of "
    "her front door taken that morning and asked whether she liked the new curtains.",
    "Parked across the road from her workplace for about an hour at closing time.",
    "Knocked on her door late at night and would not leave until she shouted; the neighbour at "
    "number 12 came out and he drove off in the grey hatchback.",
    "Facebook post naming her and saying she ruined his life; friends shared it.",
]
BEHAVIOURS = [
    ["calls"],
    ["messages"],
    ["loitering"],
    ["approach_home", "threats"],
    ["social_media_posts"],
    ["following"],
    ["gifts"],
    ["account_access"],
]


def _setup(data_dir: Path) -> None:
    os.environ.update(
        HARBOUR_ENV="test",
        HARBOUR_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="harbour.settings",
    )
    for name in ("DATABASE_URL", "HARBOUR_KEYS", "HARBOUR_KEY_FILE"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _build(entries: int, exhibits: int) -> tuple[object, object, list[bytes]]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from harbour.accounts.models import Organisation, User
    from harbour.cases.models import Suspect
    from harbour.cases.services import open_case
    from harbour.evidence import services
    from harbour.evidence.demo import demo_photo
    from harbour.evidence.models import Incident, IncidentVersion

    rng = random.Random(11)
    org = Organisation.objects.create(name="Bench Advocacy", kind="provider")
    user = User.objects.create(
        username="bench", organisation=org, role="advocate", full_name="Bench Advocate"
    )
    case = open_case(
        organisation=org,
        client_fields={"given_name": "Wren", "family_name": "Bench"},
        by=user,
        allocated_to=user,
    )
    suspects = [Suspect.unscoped.create(case=case, names=n) for n in ("Dorian Voss", "Kit Marr")]
    start = timezone.now() - datetime.timedelta(days=730)
    incidents = [
        Incident(
            case=case,
            number=i + 1,
            logged_by=user,
            logged_at=start + datetime.timedelta(hours=i * 3.5 + 2),
        )
        for i in range(entries)
    ]
    Incident.unscoped.bulk_create(incidents, batch_size=500)
    versions = []
    for i, incident in enumerate(incidents):
        at = start + datetime.timedelta(hours=i * 3.5)
        fear = rng.random() < 0.05
        versions.append(
            IncidentVersion(
                incident=incident,
                number=1,
                precision="exact",
                occurred_at=at,
                count=rng.choice([1, 1, 1, 2, 3, 17]),
                reporter="client",
                behaviours=rng.choice(BEHAVIOURS),
                suspect=rng.choice(suspects),
                location=rng.choice(["Her home", "Outside her work", "Online"]),
                what_happened=rng.choice(TEXTS),
                witnesses="",
                effects=["fear_of_violence"] if fear else [],
                reported_to_police=fear,
                police_reference="KP/12345/26" if fear else "",
                saved_by=user,
                saved_at=incident.logged_at,
            )
        )
    IncidentVersion.unscoped.bulk_create(versions, batch_size=500)
    photo = demo_photo(1)
    originals = []
    for n in range(exhibits):
        if n % 10 == 0:
            data, kind = photo, "photo"
        else:
            data = (
                "".join(
                    f"{d:02d}/03/2026, 21:{d:02d} - Unknown: {rng.choice(TEXTS)}\n"
                    for d in range(300)
                )
            ).encode()
            kind = "export"
        originals.append(data)
        services.store_evidence(
            case,
            SimpleUploadedFile(f"e{n}.bin", data),
            kind=kind,
            incident=incidents[n * (entries // max(1, exhibits))],
            by=user,
        )
    return case, user, originals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--exhibits", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="harbour-bench-") as tmp:
        _setup(Path(tmp))
        import harbour.evidence.bundle as bundle_module

        started = time.perf_counter()
        case, user, originals = _build(args.entries, args.exhibits)
        build_s = time.perf_counter() - started

        pdf_times: list[float] = []
        original_render = bundle_module.render_pdf

        def timed_render(context):  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            result = original_render(context)
            pdf_times.append(time.perf_counter() - t0)
            return result

        bundle_module.render_pdf = timed_render
        load_before = os.getloadavg()[0]
        cpu0 = time.process_time()
        children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        bundle = bundle_module.produce_bundle(case, by=user)
        total_s = time.perf_counter() - t0
        cpu_s = time.process_time() - cpu0
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        child_s = (children.ru_utime + children.ru_stime) - (
            children0.ru_utime + children0.ru_stime
        )

        # Floors, same run: the chronology rows to CSV; the exhibit bytes zipped from memory.
        from harbour.evidence.models import EvidenceItem
        from harbour.evidence.services import current_versions

        versions = current_versions(case)
        items = list(EvidenceItem.unscoped.filter(case=case))
        rows = bundle_module.chronology_rows(versions, items)
        t0 = time.perf_counter()
        bundle_module.chronology_csv(rows)
        csv_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        with zipfile.ZipFile(io.BytesIO(), "w") as zf:
            for n, data in enumerate(originals):
                zf.writestr(f"e{n}", data)
        zip_s = time.perf_counter() - t0

    pdf_s = pdf_times[0] if pdf_times else float("nan")
    exhibit_bytes = sum(len(d) for d in originals)
    print(
        f"bundle: {args.entries} entries, {args.exhibits} exhibits ({exhibit_bytes / 1e6:.1f} MB), "
        f"{bundle.pdf_pages} PDF pages, ZIP {bundle.zip_size / 1e6:.1f} MB "
        f"(setup {build_s:.1f} s)"
    )
    print()
    head = f"{'measure':50} {'Harbour':>10} {'floor':>10} {'cost':>8}  floor"
    print(head)
    print("-" * 100)
    print(
        f"{'whole bundle (PDF + ZIP + seal), s':50} {total_s:10.2f} {csv_s + zip_s:10.2f} "
        f"{'x' + format(total_s / (csv_s + zip_s), '.0f'):>8}  CSV of the rows + ZIP of the bytes"
    )
    print(
        f"{'  of which the PDF (WeasyPrint, tagged), s':50} {pdf_s:10.2f} {csv_s:10.2f} "
        f"{'x' + format(pdf_s / csv_s, '.0f'):>8}  the same rows to CSV"
    )
    rest = total_s - pdf_s
    print(
        f"{'  of which the rest (diary, exhibits, ZIP, seal), s':50} {rest:10.2f} {zip_s:10.2f} "
        f"{'x' + format(rest / zip_s, '.0f'):>8}  ZIP of the same exhibit bytes in memory"
    )
    print(f"{'whole bundle, CPU seconds of this process':50} {cpu_s:10.2f}")
    print(f"{'  and of the process drawing half the PDF':50} {child_s:10.2f}")
    print(f"{'PDF pages per second':50} {bundle.pdf_pages / pdf_s:10.1f}")
    print()
    verdict = "within" if total_s <= 30 else "OVER"
    print(
        f"target: 30 s for the whole bundle; {verdict} ({total_s:.1f} s wall, {cpu_s:.1f} s CPU; "
        f"load average {load_before:.1f} on {os.cpu_count()} cores when it started)"
    )


if __name__ == "__main__":
    main()
