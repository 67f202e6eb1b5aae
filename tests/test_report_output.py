"""The rendered overview report, read back: PDF with pypdf, HTML as text.

Everything here inspects the one session build of the example review (real WeasyPrint).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import EXAMPLE, run
from pypdf import PdfReader

MARKING = "OFFICIAL-SENSITIVE – DRAFT"


@pytest.fixture(scope="module")
def pdf(example_build: Path) -> PdfReader:
    return PdfReader(example_build / "report.pdf")


@pytest.fixture(scope="module")
def pages(pdf: PdfReader) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in pdf.pages]


@pytest.fixture(scope="module")
def html(example_build: Path) -> str:
    return (example_build / "report.html").read_text(encoding="utf-8")


def contents_entries(pdf: PdfReader) -> list[tuple[str, int]]:
    """(entry, page number) pairs read back from the contents page's text."""
    texts = [page.extract_text() or "" for page in pdf.pages]
    contents = next(t for t in texts if t.lstrip().startswith("Contents"))
    entries = []
    for line in contents.splitlines()[1:]:
        match = re.fullmatch(r"(.+?) (\d+)", " ".join(line.split()))
        if match and not match.group(1).startswith(("Domestic", "OFFICIAL")):
            entries.append((match.group(1), int(match.group(2))))
    return entries


def test_contents_page_numbers_point_at_the_headings(pdf, pages):
    entries = contents_entries(pdf)
    assert len(entries) >= 22, entries
    for title, number in entries:
        page = pages[number - 1]
        # The heading starts its page (sections begin on a new page), after the running header.
        assert title in page, f"'{title}' not on page {number}"
        assert not any(title in pages[i] and i < number - 1 and i > 2 for i in range(len(pages))
                       if not pages[i].startswith("Contents")), f"'{title}' appears earlier"


def test_marking_and_page_numbers_on_every_page(pages):
    total = len(pages)
    assert total > 30
    for index, text in enumerate(pages, start=1):
        assert MARKING in text, f"page {index} has no protective marking"
        assert f"Page {index} of {total}" in text, f"page {index} has no 'Page N of M'"


def test_running_header_carries_the_title(pages):
    for text in pages[1:]:
        assert "Domestic Homicide Review into the death of Anna" in text


def test_cover(pages):
    cover = pages[0]
    for words in ("Domestic Homicide Review into the death of Anna", "Overview Report",
                  "Kent Community Safety Partnership", "Dr Imogen Fairweather-Example",
                  "14 June 2024", "0.9 (draft)"):
        assert words in cover


def test_only_liberation_sans_is_embedded(pdf):
    fonts = set()
    for page in pdf.pages:
        resources = page.get("/Resources", {})
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts
    assert all("Liberation-Sans" in f for f in fonts), fonts


def test_action_plan_appendix_is_landscape(pdf, pages):
    landscape = [i for i, page in enumerate(pdf.pages)
                 if float(page.mediabox.width) > float(page.mediabox.height)]
    assert landscape, "no landscape page"
    assert "Appendix: Action Plan" in pages[landscape[0]]
    assert landscape == list(range(landscape[0], len(pages))), "appendix pages not together"
    text = " ".join(pages[i] for i in landscape)
    for column in ("Recommendation", "Scope", "Action to take", "Lead agency",
                   "Key milestones achieved", "Target date", "Date of completion and outcome"):
        assert column in text


def test_table_header_repeats_across_pages(pages):
    chronology = [p for p in pages if "Date Agency Event" in p]
    assert len(chronology) >= 2, "the chronology header row should repeat on each page"


def test_metadata_comes_from_the_case(pdf):
    info = pdf.metadata
    assert info.title == "Domestic Homicide Review into the death of Anna: Overview Report"
    assert info["/CreationDate"].startswith("D:20240614")
    assert "Kent Community Safety Partnership" in info.author


def test_pdf_is_tagged_ua(pdf):
    root = pdf.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]) == "en-GB"


def test_same_inputs_give_the_same_bytes(example_build, tmp_path):
    result = run("build", EXAMPLE, "--out", tmp_path, "--force")
    assert result.exit_code == 0, result.output
    for name in ("report.html", "report.pdf"):
        assert (tmp_path / "example-dhr-anna" / name).read_bytes() == \
            (example_build / name).read_bytes(), f"{name} differs between builds"


def test_rebuild_with_nothing_changed_does_nothing(example_build):
    result = run("build", EXAMPLE, "--out", example_build.parent)
    assert result.exit_code == 0
    assert "built" not in result.stdout


# ---- HTML ------------------------------------------------------------------------------

class Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.headings: list[int] = []
        self.tags: list[str] = []
        self.th_without_scope = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href", "").startswith("#"):
            self.links.append(attrs["href"][1:])
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "th" and "scope" not in attrs:
            self.th_without_scope += 1


def test_html_structure(html):
    outline = Outline()
    outline.feed(html)
    assert '<html lang="en-GB">' in html
    assert outline.tags.count("main") == 1
    assert outline.headings[0] == 1 and outline.headings.count(1) == 1
    for previous, current in zip(outline.headings, outline.headings[1:], strict=False):
        assert current <= previous + 1, "heading levels must not skip"
    missing = [link for link in outline.links if link not in outline.ids]
    assert not missing, f"links to missing ids: {missing[:5]}"
    assert outline.th_without_scope == 0
    assert 'class="skip-link" href="#content"' in html


def test_html_numbers_sections_and_paragraphs(html):
    assert '<span class="section-number">1</span> Introduction' in html
    assert '<span class="paragraph-number">1.1 </span>' in html
    assert '<span class="section-number">19</span> Recommendations' in html


def test_html_has_generated_tables_and_notes(html):
    for caption in ("Pseudonyms used in this report", "Members of the review panel",
                    "Agencies that contributed to the review", "Action plan"):
        assert caption in html
    assert 'class="footnotes"' in html and 'class="footnote-backref"' in html
    assert MARKING in html


def test_every_recommendation_is_in_the_action_plan(html):
    plan = html.split('id="appendix-action-plan"', 1)[1]
    numbers = {int(n) for n in re.findall(r'<span class="rec-number">(\d+)\.</span>', plan)}
    assert numbers == set(range(1, 9))


def test_weasyprint_warnings_fail_the_build(tmp_path):
    from pipeline.report.pdf import RenderError, html_to_pdf

    html = ('<html lang="en-GB"><head><title>t</title><style>p { colour: red; }</style>'
            '</head><body><p>x</p><img src="missing.png" alt="x"></body></html>')
    with pytest.raises(RenderError) as caught:
        html_to_pdf(html, tmp_path, tmp_path / "report.md")
    messages = " ".join(str(p) for p in caught.value.problems)
    assert "colour" in messages and "missing.png" in messages


# ---- PDF/UA: what veraPDF's PDF/UA-1 rules look for, checked with pikepdf ------------

@pytest.fixture(scope="module")
def tagged(example_build: Path):
    import pikepdf

    pdf = pikepdf.open(example_build / "report.pdf")
    yield pdf
    pdf.close()


def _elements(pdf):
    import pikepdf

    def walk(element):
        yield element
        k = element.get("/K")
        for kid in (list(k) if isinstance(k, pikepdf.Array) else [k]):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") is not None:
                yield from walk(kid)

    root = pdf.Root.StructTreeRoot.K
    yield from walk(root[0] if isinstance(root, pikepdf.Array) else root)


def test_running_headers_and_footers_are_artifacts(tagged):
    import pikepdf

    reachable = {e.objgen for e in _elements(tagged)}
    nums = tagged.Root.StructTreeRoot.ParentTree.Nums
    for i in range(1, len(nums), 2):
        entry = nums[i]
        if isinstance(entry, pikepdf.Array):
            for element in entry:
                assert element is None or not isinstance(element, pikepdf.Dictionary) or \
                    element.objgen in reachable, "marked content outside the structure tree"
    for number, page in enumerate(tagged.pages, start=1):
        artifacts = [operands for operands, operator in pikepdf.parse_content_stream(page)
                     if operator == pikepdf.Operator("BDC") and operands[0] == "/Artifact"]
        # header title, marking, footer marking and "Page N of M" (no title on the cover)
        assert len(artifacts) >= 3, f"page {number}: header and footer are not artifacts"


def test_contents_is_tagged_as_a_toc(tagged, pdf):
    tocs = [e for e in _elements(tagged) if e.get("/S") == "/TOC"]
    assert len(tocs) == 1
    items = [e for e in _elements(tagged) if e.get("/S") == "/TOCI"]
    assert len(items) == len(contents_entries(pdf))


def test_footnotes_are_notes_with_ids(tagged):
    notes = [e for e in _elements(tagged) if e.get("/S") == "/Note"]
    source = (EXAMPLE / "report.md").read_text(encoding="utf-8")
    assert len(notes) >= len(re.findall(r"(?m)^\[\^[^\]]+\]:", source))
    ids = [str(n.ID) for n in notes]
    assert len(set(ids)) == len(ids)


def test_table_headers_have_scope(tagged):
    headers = [e for e in _elements(tagged) if e.get("/S") == "/TH"]
    assert headers
    assert all(str(h.A.Scope) in ("/Column", "/Row") for h in headers)


def test_bookmarks_title_and_language(tagged):
    def flatten(items):
        for item in items:
            yield item.title
            yield from flatten(item.children)

    with tagged.open_outline() as outline:
        titles = list(flatten(outline.root))
    assert len(titles) >= 20 and any("Introduction" in t for t in titles)
    assert bool(tagged.Root.ViewerPreferences.DisplayDocTitle)
    assert str(tagged.Root.Lang) == "en-GB"
    assert str(tagged.docinfo["/Subject"]).startswith("Overview Report of the Domestic")
    meta = tagged.open_metadata()
    assert meta.get("pdfuaid:part") == "1"
