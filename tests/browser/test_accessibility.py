"""Every page in tests/browser/pages.py passes axe-core's WCAG 2.2 AA rules with zero violations,
reports no Content Security Policy violation, throws no script error and asks no other host for
anything."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page as BrowserPage

from tests.browser.conftest import Watch
from tests.browser.pages import PAGES, WCAG_TAGS, Page, Site

AXE = Axe()


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {node['target']}: {node['html'][:160]}" for node in violation["nodes"])
    return "\n".join(lines)


@pytest.mark.parametrize("target", PAGES, ids=[p.id for p in PAGES])
def test_page_has_no_accessibility_violations_and_stays_on_this_server(
    target: Page, site: Site, page: BrowserPage, watch: Watch
) -> None:
    if target.arrive is not None:
        target.arrive(page, site)
    else:
        if target.person is not None:
            site.sign_in_quietly(page, target.person)
        response = page.goto(site.url + target.path(site.world))
        assert response is not None and response.status == target.status, page.url
    page.wait_for_load_state()
    assert page.title().endswith("Harbour"), page.title()
    problems = watch.problems()  # before axe is injected, so only the page's own behaviour counts

    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    assert not violations, f"{target.id} at {page.url}:\n{describe(violations)}"
    assert not problems, "\n".join(problems)


def test_the_checks_can_fail(site: Site, page: BrowserPage, watch: Watch) -> None:
    """A page with a missing image description and an inline script must be caught."""
    page.goto(f"{site.url}/accounts/sign-in/")
    page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
            document.querySelector('main').appendChild(img);
            const script = document.createElement('script');
            script.textContent = 'window.sneaky = 1';
            document.body.appendChild(script);
        }"""
    )
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert "image-alt" in {v["id"] for v in results.response["violations"]}
    page.wait_for_timeout(200)
    assert watch.csp, "an inline script without a nonce should be refused and reported"
