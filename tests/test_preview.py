"""The chair's preview in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
from pathlib import Path

import pytest
from conftest import EXAMPLE

from pipeline.common.errors import InputError
from pipeline.preview.server import Preview, serve


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    case = tmp_path_factory.mktemp("preview") / "case"
    shutil.copytree(EXAMPLE, case)
    port = free_port()
    preview = Preview(case, EXAMPLE / "key.example.yaml")
    server, _ = serve(preview, port)
    yield case, port, preview
    server.shutdown()


@pytest.fixture(scope="module")
def browser_page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    write(path, text.replace(old, new, 1))


def write(path: Path, text: str) -> None:
    """Save the way an editor does, in one step: a truncate then a write can reach the
    watcher as two changes under load, and the second rebuild would reload the page
    while the test reads it."""
    spare = path.parent.parent / (path.name + ".saving")  # outside the watched folder
    spare.write_text(text, encoding="utf-8")
    os.replace(spare, path)


def opened(page, preview, port: int, name: str = "report") -> None:
    """Open a page once the preview has settled (its name pass done) and wait until the
    page shows that settled build: a page opened while the pass runs reloads itself when
    it ends, and a page read during that reload is half parsed (its title there, the
    findings panel at the end of the body not yet)."""
    while True:
        version = preview.settled(0, timeout=60)
        page.goto(f"http://127.0.0.1:{port}/{name}.html")
        page.locator("html[data-preview-version]").wait_for(state="attached", timeout=15000)
        with preview.lock:
            if preview.state.version == version and not preview.state.ner_pending:
                break
    page.locator(f"html[data-preview-version='{version}']").wait_for(state="attached",
                                                                    timeout=15000)


def shown(page, preview, since: int, text: str) -> None:
    """Wait for the preview to settle on a build that holds ``text`` (its name pass done:
    a build still settling from an earlier edit does not count), then for the page to
    have reloaded into it: the page is read only when no reload is coming, so no
    evaluation can land in the middle of a navigation."""
    while True:
        version = preview.settled(since, timeout=30)
        with preview.lock:
            if text in preview.state.pages.get("report", "") and not preview.state.error:
                break
        since = version
    page.locator(f"html[data-preview-version='{version}']").wait_for(state="attached",
                                                                    timeout=15000)


def test_page_updates_after_an_edit(running, browser_page):
    case, port, preview = running
    page = browser_page
    opened(page, preview, port)
    assert "Domestic Homicide Review into the death of Anna" in page.title()
    assert page.locator("#dhr-preview").count() == 1
    page.evaluate("window.scrollTo(0, 1500)")
    before = preview.state.version
    edit(case / "report.md", "This Domestic Homicide Review examines",
         "This review, now edited, examines")
    shown(page, preview, before, "now edited")
    assert "now edited" in page.inner_text("body")
    assert page.evaluate("window.scrollY") > 1000, "the scroll position is kept"


def test_planted_real_name_is_highlighted_with_its_rule(running, browser_page):
    case, port, preview = running
    page = browser_page
    opened(page, preview, port)
    before = preview.state.version
    edit(case / "report.md", "# Timescales\n", "# Timescales\n\nSarah Whitfield rang.\n")
    shown(page, preview, before, "Sarah Whitfield rang.")
    mark = page.locator("mark.dhr-finding", has_text="Sarah Whitfield")
    assert mark.first.get_attribute("data-rule") == "key-name"
    assert "real name from the key" in mark.first.get_attribute("title")
    assert page.locator("#dhr-preview").inner_text().count("Sarah Whitfield") >= 1
    assert "never share this page" in page.locator(".dhr-note").inner_text()


def test_broken_case_yaml_shows_the_error_page(running, browser_page):
    case, port, preview = running
    page = browser_page
    opened(page, preview, port)
    original = (case / "case.yaml").read_text(encoding="utf-8")
    edit(case / "case.yaml", "review_type: DHR", "review_type: [DHR")
    # locators wait across the page's own reloads (a plain evaluation would not)
    page.get_by_text("could not be rebuilt").first.wait_for(timeout=15000)
    assert "case.yaml:" in page.locator(".dhr-errors").inner_text()
    before = preview.state.version
    write(case / "case.yaml", original)
    shown(page, preview, before, "now edited")
    assert page.locator("#dhr-preview").count() == 1


@pytest.mark.parametrize("path", ["/../case.yaml", "/%2e%2e/case.yaml", "/..%2fkey.yaml",
                                  "/case.yaml", "/key.example.yaml", "/report.md"])
def test_nothing_outside_the_preview_is_served(running, path):
    _, port, _ = running
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    assert response.status in (403, 404)
    assert b"people:" not in response.read()


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:{port}",
                                  "127.0.0.1:1", "localhost", "", "127.0.0.1.nip.io:{port}"])
def test_a_request_for_another_host_is_refused(running, host):
    """DNS rebinding: a page on another site, resolved to 127.0.0.1, names its own Host."""
    _, port, _ = running
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", "/report.html", skip_host=True)
    if host:
        connection.putheader("Host", host.format(port=port))
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 403
    assert b"<main" not in response.read()


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_our_own_host_is_served(running, host):
    _, port, _ = running
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", "/report.html", skip_host=True)
    connection.putheader("Host", host.format(port=port))
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 200
    assert b"<main" in response.read()


def test_pdf_on_demand(running):
    _, port, _ = running
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", "/action-plan.pdf")
    response = connection.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/pdf"
    assert response.read().startswith(b"%PDF")


def test_port_in_use_is_a_clear_error(running):
    _, port, preview = running
    with pytest.raises(InputError) as caught:
        serve(preview, port)
    assert f"port {port} is already in use" in str(caught.value)


def test_cli_port_in_use_is_one_line_and_exit_2(running):
    from conftest import run

    _, port, _ = running
    result = run("preview", EXAMPLE, "--port", port, "--no-ner")
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"port {port} is already in use on 127.0.0.1; choose "
                                     "another with --port")


@pytest.mark.parametrize("port", ["99999", "0", "-1"])
def test_cli_port_out_of_range_is_a_usage_error(port):
    from conftest import run

    result = run("preview", EXAMPLE, "--port", port, "--no-ner")
    assert result.exit_code == 2, result.output
    assert "--port" in result.stderr and "internal error" not in result.stderr


def test_cli_missing_review_is_exit_2(tmp_path):
    from conftest import run

    result = run("preview", tmp_path / "nowhere")
    assert result.exit_code == 2 and "review folder not found" in result.stderr
