import pytest

from harbour.evidence import services
from harbour.evidence.bundle import produce_bundle
from harbour.evidence.manifest import verify_bundle
from tests.evidence.conftest import png_with_exif, upload_file


@pytest.mark.django_db
def test_a_diary_with_evidence_makes_a_bundle_that_verifies(case_a, cast, log, tmp_path):
    first = log(behaviours=["calls"], count=17)
    log(behaviours=["threats"], effects=["fear_of_violence"])
    services.store_evidence(
        case_a,
        upload_file("doorstep.jpg", png_with_exif()),
        kind="photo",
        incident=first,
        by=cast["alice"],
    )
    bundle = produce_bundle(case_a, by=cast["alice"])
    path = tmp_path / "b.zip"
    path.write_bytes(b"".join(services.read_bundle(bundle)))
    report = verify_bundle(str(path))
    assert report.ok, report.lines()
    assert report.manifest_sha256 == bundle.manifest_sha256
