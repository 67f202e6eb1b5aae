"""The publication set as a reader sees it, measured on the example's PDFs and HTML:
where text sits on the page (pypdf's text positions), how full each page is, how the
action plan breaks across pages, and line heights in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLE
from pdflayout import page_heights, page_texts, runs

from pipeline.case.folder import load_case
from pipeline.report.render import parse_report

NUMBER = re.compile(r"^\d+\.\d+\s*$")
INDENT = 12 * 72 / 25.4
MARGIN_TOP, MARGIN_BOTTOM = 71.0, 63.0  # the report's @page margins (25 mm, 22 mm), in pt


def _collapse(text: str) -> str:
    # A line broken after a hyphen ("Multi-" / "agency") reads back as "Multi- agency".
    return re.sub(r"(?<=\w)- (?=\w)", "-", " ".join(text.replace("**", "").split()))


def test_numbered_paragraph_first_line_lines_up_with_the_rest(example_build: Path) -> None:
    all_runs = runs(example_build / "report.pdf")
    checked = 0
    for i, run in enumerate(all_runs[:-2]):
        if not (NUMBER.match(run.text) and "Bold" in run.font):
            continue
        first = all_runs[i + 1]
        if first.top != run.top:
            continue
        checked += 1
        # The text starts at the hanging indent (12 mm), where its continuation lines do,
        # and not a space further right.
        assert not first.text.startswith(" "), (run, first)
        assert abs(first.x - (run.x + INDENT)) < 0.5, (run.text, first.x)
    assert checked > 50


def _body_bottoms(pdf: Path) -> list[tuple[int, float, float]]:
    """(page, lowest body baseline as a fraction of the body area, page height)."""
    heights = page_heights(pdf)
    lowest: dict[int, float] = {}
    for run in runs(pdf):
        height = heights[run.page - 1]
        if MARGIN_TOP - 5 < run.top < height - MARGIN_BOTTOM + 5:
            lowest[run.page] = max(lowest.get(run.page, 0.0), run.top)
    return [(page, (lowest.get(page, 0.0) - MARGIN_TOP) / (h - MARGIN_TOP - MARGIN_BOTTOM), h)
            for page, h in enumerate(heights, start=1)]


@pytest.mark.parametrize("name", ["report.pdf", "summary.pdf"])
def test_no_page_is_left_more_than_half_empty(example_build: Path, name: str) -> None:
    pages = _body_bottoms(example_build / name)
    # The cover and contents stand alone; the last page of the document and the last
    # portrait page before the landscape action plan end where their text ends.
    exempt = {1, 2, len(pages)}
    exempt |= {p for p, _, h in pages[:-1] if pages[p][2] != h}
    half_empty = [(p, round(fill, 2)) for p, fill, _ in pages if p not in exempt and fill < 0.5]
    assert not half_empty


def test_family_tribute_follows_the_preface(example_build: Path) -> None:
    # The tribute starts where the preface's last paragraph is, unless that page is full.
    pdf = example_build / "report.pdf"
    texts = page_texts(pdf)
    before = next(i for i, t in enumerate(texts) if "reproduced as she wrote them" in t)
    fill = _body_bottoms(pdf)[before][1]
    assert "In the family's words" in texts[before] or fill > 0.85, fill


@pytest.fixture(scope="module")
def actions():
    case = load_case(EXAMPLE)
    outline = parse_report(case).outline
    recommendations = {r.number: _collapse(r.text) for r in outline.recommendations}
    return case.actions, recommendations


@pytest.mark.parametrize("name", ["action-plan.pdf", "report.pdf"])
def test_an_action_row_never_splits_across_pages(example_build: Path, actions, name) -> None:
    texts = [_collapse(t) for t in page_texts(example_build / name)]
    for action in actions[0]:
        words = _collapse(action.action)
        pages = [i for i, t in enumerate(texts, start=1) if words in t]
        assert len(pages) == 1, (action.action[:40], pages)


@pytest.mark.parametrize("name", ["action-plan.pdf", "action-plan.html"])
def test_recommendation_text_appears_once_per_group(example_build: Path, actions, name) -> None:
    if name.endswith(".pdf"):
        text = _collapse(" ".join(page_texts(example_build / name)))
    else:
        text = _collapse(re.sub(r"<[^>]+>", "", (example_build / name).read_text()))
    for number, words in actions[1].items():
        assert text.count(words[:80]) == 1, (number, words[:80])


def test_summary_recommendations_have_space_between_them(example_build: Path) -> None:
    all_runs = runs(example_build / "summary.pdf")
    markers = [r for r in all_runs if re.fullmatch(r"\d+\. ?", r.text) and r.size == 11.0]
    assert len(markers) >= 5
    for a, b in zip(markers, markers[1:], strict=False):
        if a.page != b.page:
            continue
        tops = sorted({r.top for r in all_runs if r.page == a.page and a.top <= r.top < b.top})
        pitch = min(y - x for x, y in zip(tops, tops[1:], strict=False)) if len(tops) > 1 else 15.95
        extra = (b.top - a.top) - len(tops) * pitch
        assert extra >= 3, (a, b, extra)


def test_note_markers_do_not_make_lines_taller(example_build: Path, browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((example_build / "report.html").as_uri())
    ratios = page.evaluate("""() => [...document.querySelectorAll('p')]
        .filter(p => p.querySelector('sup.footnote-ref'))
        .map(p => p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight))""")
    page.close()
    assert ratios
    for ratio in ratios:
        assert abs(ratio - round(ratio)) < 0.05, ratios




@pytest.mark.parametrize("name", ["report.pdf", "summary.pdf", "action-plan.pdf",
                                  "briefing.pdf", "briefing-action-plan.pdf",
                                  "form/form.pdf"])
def test_pdfua_checker_finds_nothing(example_build: Path, name: str) -> None:
    """The independent PDF/UA checker (the ``pdfua`` package) on every PDF the example
    builds: exit 0 is no finding at all, not even a warning."""
    import subprocess
    import sys

    checker = Path(sys.executable).parent / "pdfua"
    result = subprocess.run([str(checker), "check", str(example_build / name)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("name", ["action-plan.pdf", "report.pdf"])
def test_completion_column_is_wide_enough_to_read(example_build: Path, actions, name) -> None:
    """The outcome of a completed action reads in lines of several words, not one word
    to a line down a narrow column."""
    done = [_collapse(a.completion) for a in actions[0] if a.completion]
    assert done
    all_runs = runs(example_build / name)
    lines = []
    for text in done:
        first_words = " ".join(text.split()[:1])
        start = next(r for r in all_runs if _collapse(r.text).startswith(first_words)
                     and text.startswith(_collapse(r.text)))
        lines += [r for r in all_runs if r.page == start.page and abs(r.x - start.x) < 0.5
                  and r.top >= start.top and _collapse(r.text) in text]
    assert lines
    words = sum(len(r.text.split()) for r in lines) / len(lines)
    assert words >= 3, [r.text for r in lines]
