"""Shared fixtures. The example review is built once per test session (real WeasyPrint)
and every test that inspects rendered output reads that one build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

CHROMIUM = Path("/usr/bin/chromium")
# Without these, Chromium keeps trying to reach Google's hosts, which this closed network
# refuses; none changes what a page renders.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "example-dhr-anna"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"


def run(*args: str | Path):
    """Run the dhr command in-process; returns click's Result."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A private copy of the minimal review, safe to break."""
    target = tmp_path / "case"
    shutil.copytree(MINIMAL, target)
    return target


@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> Path:
    """The example review rendered once: build/<id>/ with report.html and report.pdf."""
    out = tmp_path_factory.mktemp("example-build")
    result = run("build", EXAMPLE, "--out", out)
    assert result.exit_code == 0, result.output
    return out / "example-dhr-anna"


@pytest.fixture(scope="session")
def browser():
    """One Debian Chromium for the whole session, driven by Playwright (Playwright allows
    one sync session per thread)."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: run `make deps` (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()
