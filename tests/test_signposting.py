"""Signposting in the publication set: the content note before the first section and the
Support box (national helplines from templates/signposting.yaml, local services from the
site profiles) in the report and the summary, HTML and PDF, the box tagged /Aside."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from conftest import MINIMAL, ROOT, run
from pdflayout import page_texts

from pipeline.common import signposting as S


def _struct(pdf: pikepdf.Pdf) -> list[str]:
    out = []

    def walk(element):
        k = element.get("/K")
        for kid in (list(k) if isinstance(k, pikepdf.Array) else [k]):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") is not None:
                out.append(str(kid.S))
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return out


def _services() -> list[str]:
    s = S.signposting()
    assert s.national and all(site.local for site in s.sites) and len(s.sites) >= 2
    return [x.contact for x in s.national] + [x.contact for site in s.sites for x in site.local]


@pytest.mark.parametrize("name", ["report.html", "summary.html"])
def test_html_opens_with_content_note_and_support(example_build: Path, name: str) -> None:
    html = (example_build / name).read_text(encoding="utf-8").replace("&#39;", "'")
    main = html[html.index('<main id="content">'):]
    note, aside = main.find('class="content-note"'), main.find('<aside class="support-box"')
    first_section = re.search(r'<h2 id="(preface|summary-1)"', main).start()
    assert 0 < note < aside < first_section
    box = main[aside:main.index("</aside>")]
    assert 'aria-labelledby="support-heading"' in box
    for contact in _services():
        assert contact in box, contact
    assert S.signposting().content_note in main


@pytest.mark.parametrize("name", ["report.pdf", "summary.pdf", "briefing.pdf"])
def test_pdf_support_box_is_an_aside(example_build: Path, name: str) -> None:
    with pikepdf.open(example_build / name) as pdf:
        kinds = _struct(pdf)
        assert kinds.count("/Aside") == 1
        assert pdf.Root.StructTreeRoot.RoleMap.Aside == "/Div"
        assert "/TOC" in kinds or name == "briefing.pdf"  # the contents stays a TOC
    text = " ".join(page_texts(example_build / name))
    for contact in _services():
        assert contact in text, contact


@pytest.mark.parametrize("name", ["report.pdf", "summary.pdf"])
def test_pdf_content_note_comes_before_the_first_section(example_build: Path, name) -> None:
    texts = page_texts(example_build / name)
    note = next(i for i, t in enumerate(texts) if "Content note." in t)
    first = "Preface" if name == "report.pdf" else "1 The review process"
    assert texts[note].index("Content note.") < texts[note].index(first)


@pytest.fixture
def home(tmp_path: Path, monkeypatch) -> Path:
    """A private copy of the templates and rules, read instead of the project's."""
    target = tmp_path / "home"
    shutil.copytree(ROOT / "templates", target / "templates")
    shutil.copytree(ROOT / "redaction_rules", target / "redaction_rules")
    monkeypatch.setenv("DHR_HOME", str(target))
    S.signposting.cache_clear()
    yield target
    S.signposting.cache_clear()


def test_a_site_profile_without_its_review_page_is_a_located_error(home, tmp_path) -> None:
    profile = home / "templates" / "sites" / "medway.yaml"
    text = profile.read_text(encoding="utf-8")
    line = next(i for i, x in enumerate(text.splitlines(), 1) if x.startswith("name:"))
    profile.write_text(re.sub(r"(?m)^review_page:.*\n", "", text), encoding="utf-8")
    result = run("build", MINIMAL, "--out", tmp_path / "out", "--no-pdf")
    assert result.exit_code == 2, result.output
    assert f"medway.yaml:{line}: the site profile needs a 'review_page'" in result.output
    assert "Traceback" not in result.output


def test_a_support_service_without_a_contact_is_a_located_error(home, tmp_path) -> None:
    path = home / "templates" / "signposting.yaml"
    text = path.read_text(encoding="utf-8").replace('    contact: "116 123"\n', "")
    path.write_text(text, encoding="utf-8")
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "name: Samaritans" in x)
    result = run("build", MINIMAL, "--out", tmp_path / "out", "--no-pdf")
    assert result.exit_code == 2, result.output
    assert f"signposting.yaml:{line}: a support service needs a name and a contact" \
        in result.output
