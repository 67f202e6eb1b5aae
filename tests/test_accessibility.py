"""Proof in a real browser: Debian's Chromium, driven by Playwright (no browser download),
runs axe-core with the WCAG 2.0/2.1/2.2 A and AA rules on every HTML output of the
example review, checks reflow at 320 CSS pixels and keyboard access, and keeps a
screenshot of each document's first screen in build/screenshots/ for people to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CHROMIUM, ROOT

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
DOCUMENTS = ["report.html", "summary.html", "action-plan.html"]
EVERY_HTML = [*DOCUMENTS, "briefing.html"]
SCREENSHOTS = ROOT / "build" / "screenshots"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("name", EVERY_HTML)
def test_axe_finds_no_violations(page, example_build, name):
    from axe_playwright_python.sync_playwright import Axe

    page.goto((example_build / name).as_uri())
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    assert results.violations_count == 0, results.generate_report()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"{Path(name).stem}.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


@pytest.mark.parametrize("name", EVERY_HTML)
def test_reflows_at_400_percent_zoom(browser, example_build, name):
    """1280 CSS pixels at 400% is a 320-pixel-wide viewport: no sideways scrolling."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto((example_build / name).as_uri())
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert overflow <= 1, f"{name} scrolls sideways by {overflow}px at 320px"


@pytest.mark.parametrize("name", DOCUMENTS)
def test_structure_in_the_browser(page, example_build, name):
    page.goto((example_build / name).as_uri())
    assert page.evaluate("document.documentElement.lang") == "en-GB"
    assert page.locator("main").count() == 1
    levels = page.evaluate(
        "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    assert page.evaluate("[...document.querySelectorAll('table')].every("
                         "t => t.caption && t.querySelectorAll('th:not([scope])').length == 0)")
    # the first Tab reaches the skip link, and it is shown when focused
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"


def test_contents_links_and_footnotes_work(page, example_build):
    page.goto((example_build / "report.html").as_uri())
    links = page.evaluate("[...document.querySelectorAll('nav.contents a')]"
                          ".map(a => a.getAttribute('href'))")
    assert len(links) >= 22
    assert page.evaluate(f"{links!r}.every(h => document.querySelector(h))")
    page.click("sup.footnote-ref a >> nth=0")
    assert page.evaluate("location.hash") == "#fn1"
    page.click("#fn1 a.footnote-backref")
    assert page.evaluate("location.hash") == "#fnref1"


def test_print_stylesheet_hides_the_skip_link(page, example_build):
    page.goto((example_build / "report.html").as_uri())
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).display") \
        == "none"


def test_chromium_is_debians(browser):
    assert shutil.which("chromium") == str(CHROMIUM)
    assert browser.version
