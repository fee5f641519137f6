"""Every page in tests/browser/pages.py passes axe-core's WCAG 2.2 A and AA rules and its best
practices with zero violations, reports no Content Security Policy violation, throws no script
error and asks no other host for anything."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page as BrowserPage

from tests.access.test_matrix import Listed, expectation_modules
from tests.browser.conftest import Watch
from tests.browser.pages import AXE_TAGS, PAGES, Page, Site, matrix_pages

AXE = Axe()


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {node['target']}: {node['html'][:160]}" for node in violation["nodes"])
    return "\n".join(lines)


def check(target: Page, site: Site, page: BrowserPage, watch: Watch) -> list[str]:
    """Visit one page and return what is wrong with it (nothing, we hope)."""
    page.context.clear_cookies()
    watch.clear()
    if target.arrive is not None:
        target.arrive(page, site)
    else:
        if target.person is not None:
            site.sign_in_quietly(page, target.person)
        response = page.goto(site.url + target.path(site.world))
        if response is None or response.status != target.status:
            got = response.status if response is not None else None
            return [f"{target.id}: expected {target.status}, got {got} at {page.url}"]
        if not response.headers.get("content-type", "").startswith("text/html"):
            return []  # JSON and downloads are not pages
    page.wait_for_load_state()
    problems = [f"{target.id}: {p}" for p in watch.problems()]  # before axe is injected
    if not page.title().endswith("Harbour"):
        problems.append(f"{target.id}: title {page.title()!r} does not end with Harbour")
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = results.response["violations"]
    if violations:
        problems.append(f"{target.id} at {page.url}:\n{describe(violations)}")
    return problems


@pytest.mark.parametrize("target", PAGES, ids=[p.id for p in PAGES])
def test_page_has_no_accessibility_violations_and_stays_on_this_server(
    target: Page, site: Site, page: BrowserPage, watch: Watch
) -> None:
    problems = check(target, site, page, watch)
    assert not problems, "\n".join(problems)


MODULES = expectation_modules()


@pytest.mark.parametrize("module", MODULES, ids=[m.__name__.rsplit(".", 1)[-1] for m in MODULES])
def test_every_other_page_in_the_matrix_passes_the_same_checks(
    module: object, site: Site, page: BrowserPage, watch: Watch
) -> None:
    """Each GET route in the matrix that answers 200, as the first person it answers, unless a page
    above already covers its URL name: new pages are checked without anyone listing them."""
    build = getattr(module, "build", None)
    if build is not None:
        build(site.world)
    listed = [Listed(module, route) for route in module.ROUTES]  # type: ignore[attr-defined]
    problems: list[str] = []
    for target in matrix_pages(listed, site.world, covered=PAGES):
        problems += check(target, site, page, watch)
    assert not problems, "\n\n".join(problems)


def test_the_checks_can_fail(site: Site, page: BrowserPage, watch: Watch) -> None:
    """A page with a missing image description and an inline script must be caught."""
    page.goto(f"{site.url}/accounts/sign-in/")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            """() => {
                const img = document.createElement('img');
                img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
                document.querySelector('main').appendChild(img);
                const outside = document.createElement('p');
                outside.textContent = 'Outside every landmark';
                document.body.appendChild(outside);
                const script = document.createElement('script');
                script.textContent = 'window.sneaky = 1';
                document.body.appendChild(script);
            }"""
        )
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    found = {v["id"] for v in results.response["violations"]}
    assert "image-alt" in found  # WCAG
    assert "region" in found  # best practice: content outside a landmark
    assert watch.csp, "an inline script without a nonce should be refused and reported"
