"""One function decides the client's address: the right-most X-Forwarded-For entry that is not
one of our own proxies, never the left-most (which anyone can type)."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import RequestFactory

from harbour.core.client_ip import client_address, resolve

PROXY = "10.0.0.5"
NETWORKS = (ipaddress.ip_network("10.0.0.0/24"),)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored():
    assert resolve("203.0.113.9", "198.51.100.20") == "203.0.113.9"


def test_a_forged_left_most_entry_is_not_the_client_with_one_proxy():
    # The attacker sends "X-Forwarded-For: <advocate's address>"; the proxy appends theirs.
    assert resolve(PROXY, "198.51.100.20, 203.0.113.66", proxy_count=1) == "203.0.113.66"


def test_a_forged_left_most_entry_is_not_the_client_with_proxy_networks():
    chain = "198.51.100.20, 203.0.113.66, 10.0.0.7"
    assert resolve(PROXY, chain, proxy_networks=NETWORKS) == "203.0.113.66"


def test_two_proxies_take_the_entry_two_from_the_right():
    assert resolve(PROXY, "1.2.3.4, 203.0.113.66, 10.0.0.7", proxy_count=2) == "203.0.113.66"


def test_a_request_that_did_not_come_through_the_proxy_is_its_own_sender():
    assert resolve("203.0.113.66", "198.51.100.20", proxy_networks=NETWORKS) == "203.0.113.66"


def test_fewer_entries_than_proxies_falls_back_to_the_sender():
    assert resolve(PROXY, "", proxy_count=1) == PROXY


def test_garbage_in_the_header_never_becomes_the_address():
    assert resolve(PROXY, "not-an-address", proxy_count=1) == PROXY
    assert resolve(PROXY, "<script>, 203.0.113.66", proxy_networks=NETWORKS) == "203.0.113.66"


def test_ipv6_addresses_are_normalised():
    assert resolve(PROXY, "2001:DB8::0001", proxy_count=1) == "2001:db8::1"


def test_the_request_function_reads_the_settings(settings):
    settings.HARBOUR_TRUSTED_PROXIES = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.20, 203.0.113.66"
    )
    assert client_address(request) == "203.0.113.66"


def test_django_axes_uses_the_same_function(settings):
    from axes.helpers import get_client_ip_address

    settings.HARBOUR_TRUSTED_PROXIES = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.20, 203.0.113.66"
    )
    assert get_client_ip_address(request) == "203.0.113.66"


@pytest.mark.django_db
def test_the_audit_trail_records_the_same_address(settings, cast):
    from harbour.audit.log import record

    settings.HARBOUR_TRUSTED_PROXIES = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.20, 203.0.113.66"
    )
    assert record(actor=None, verb="test.event", request=request).ip_address == "203.0.113.66"


def test_the_old_header_setting_is_refused_with_a_pointer_to_the_new_one():
    import os
    import subprocess
    import sys

    env = {**os.environ, "HARBOUR_CLIENT_IP_HEADERS": "HTTP_X_FORWARDED_FOR"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import harbour.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "HARBOUR_TRUSTED_PROXIES" in result.stderr


def test_a_bad_proxy_network_stops_start_up():
    import os
    import subprocess
    import sys

    env = {**os.environ, "HARBOUR_TRUSTED_PROXY_NETWORKS": "10.0.0.0/99"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import harbour.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "HARBOUR_TRUSTED_PROXY_NETWORKS" in result.stderr


def test_harbour_check_warns_behind_a_proxy_with_no_trusted_proxy_set(settings):
    from harbour.core.checks import trusted_proxy_configured

    settings.PRODUCTION = True
    settings.HARBOUR_BIND = "127.0.0.1:8000"
    settings.HARBOUR_TRUSTED_PROXIES = 0
    settings.HARBOUR_TRUSTED_PROXY_NETWORKS = []
    assert [w.id for w in trusted_proxy_configured()] == ["harbour.W001"]
    settings.HARBOUR_TRUSTED_PROXIES = 1
    assert trusted_proxy_configured() == []


def test_harbour_check_is_quiet_when_harbour_faces_the_network_itself(settings):
    from harbour.core.checks import trusted_proxy_configured

    settings.PRODUCTION = True
    settings.HARBOUR_BIND = "0.0.0.0:443"
    settings.HARBOUR_TRUSTED_PROXIES = 0
    settings.HARBOUR_TRUSTED_PROXY_NETWORKS = []
    assert trusted_proxy_configured() == []
