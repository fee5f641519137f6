import pytest

from tests.conftest import signed_in_client


@pytest.mark.django_db
def test_alice_sees_her_case_and_bob_gets_404(cast, case_a):
    url = f"/cases/{case_a.public_id}/"
    assert signed_in_client(cast["alice"]).get(url).status_code == 200
    assert signed_in_client(cast["bob"]).get(url).status_code == 404
