"""The 7-minute briefing (``dhr briefing``), read back with pypdf and as text.

One briefing of the example review is rendered per module (real WeasyPrint, no mocks);
the tests of limits and drafting change a copy of the example and stop before rendering.
"""

from __future__ import annotations

import re
import shutil
import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE, run
from pypdf import PdfReader

from pipeline.briefing import briefing as B
from pipeline.case.folder import load_case
from pipeline.common.errors import InputError
from pipeline.report.render import parse_report

KEY = EXAMPLE / "key.example.yaml"
LABELS = ["Background", "Why it matters", "What happened", "What we found", "Good practice",
          "What you should do", "Reflective questions"]


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """build/<id>/ holding the example's briefing, rendered once for this module."""
    root = tmp_path_factory.mktemp("briefing")
    result = run("briefing", EXAMPLE, "--out", root)
    assert result.exit_code == 0, result.output
    return root / "example-dhr-anna"


@pytest.fixture(scope="module")
def example() -> B.Briefing:
    case = load_case(EXAMPLE)
    return B.compose(case, parse_report(case).tokens)


@pytest.fixture(scope="module")
def pdf(out: Path) -> PdfReader:
    return PdfReader(out / "briefing.pdf")


@pytest.fixture(scope="module")
def pdf_text(pdf: PdfReader) -> str:
    return squash(" ".join(page.extract_text() or "" for page in pdf.pages))


def copy_example(tmp_path: Path, **briefing) -> Path:
    """A copy of the example review whose briefing: section has ``briefing`` merged in
    (a value of None removes that field)."""
    target = tmp_path / "case"
    shutil.copytree(EXAMPLE, target)
    path = target / "case.yaml"
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)["briefing"]
    for key, value in briefing.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    # Cut the briefing block (up to the next top-level key) and append the new one.
    text = re.sub(r"(?ms)^briefing:\n.*?(?=^[A-Za-z_]|\Z)", "", text)
    path.write_text(text + yaml.safe_dump({"briefing": data}, sort_keys=False, width=88),
                    encoding="utf-8")
    return target


def line_of(case_dir: Path, key: str) -> int:
    lines = (case_dir / "case.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index("briefing:")
    return next(i for i, line in enumerate(lines[start:], start + 1)
                if line.startswith(f"  {key}:"))


# --- the handout ----------------------------------------------------------------------

def test_pdf_is_one_or_two_a4_landscape_pages(pdf):
    assert 1 <= len(pdf.pages) <= 2
    for page in pdf.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width > height, "not landscape"
        assert abs(width - 841.89) < 1 and abs(height - 595.28) < 1, (width, height)


def test_pdf_reads_the_seven_parts_in_order(pdf_text):
    positions = [pdf_text.find(f"{n} {label}") for n, label in enumerate(LABELS, start=1)]
    assert all(p >= 0 for p in positions), dict(zip(LABELS, positions, strict=True))
    assert positions == sorted(positions)
    # The title hub is read before part 1, the support footer after part 7.
    assert pdf_text.find("7-MINUTE BRIEFING") < positions[0]
    assert pdf_text.find("National Domestic Abuse Helpline 0808 2000 247") > positions[-1]


def test_every_reflective_question_is_in_every_version(out, pdf_text, example):
    html = squash((out / "briefing.html").read_text(encoding="utf-8").replace("&#34;", '"')
                  .replace("&#39;", "'"))
    text = squash((out / "briefing.txt").read_text(encoding="utf-8"))
    assert 3 <= len(example.questions) <= 6
    for question in example.questions:
        assert squash(question) in pdf_text
        assert question in html
        assert question in text
    # The review's own questions come first.
    assert example.questions[:2] == load_case(EXAMPLE).doc.data["briefing"]["questions"]


def test_pdf_is_tagged_with_language_title_and_headings(pdf):
    root = pdf.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert pdf.metadata.title == "7-minute briefing: Domestic Homicide Review: Anna (2023)"
    assert pdf.metadata.creation_date.date().isoformat() == "2024-06-14"  # never the clock

    def tags(node, found):
        node = node.get_object()
        if "/S" in node:
            found.append(str(node["/S"]))
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                tags(kid, found)
        return found

    found = tags(root["/StructTreeRoot"], [])
    assert found.count("/H1") == 1
    assert found.index("/H1") < found.index("/H2")
    assert found.count("/H2") >= 7


class Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[tuple[int, str]] = []
        self._in: int | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self._in = int(tag[1])
            self.headings.append((self._in, ""))

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag):
            self._in = None

    def handle_data(self, data):
        if self._in is not None:
            level, text = self.headings[-1]
            self.headings[-1] = (level, text + data)


def test_html_has_one_main_en_gb_and_no_skipped_heading_levels(out):
    parser = Outline()
    parser.feed((out / "briefing.html").read_text(encoding="utf-8"))
    assert [t for t, _ in parser.tags].count("main") == 1
    assert ("html", {"lang": "en-GB"}) in parser.tags
    headings = [(level, squash(text)) for level, text in parser.headings]
    levels = [level for level, _ in headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    parts = [text for _, text in headings if re.match(r"[1-7] ", text)]
    assert parts == [f"{n} {label}" for n, label in enumerate(LABELS, start=1)]


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_colours_meet_wcag_aa_contrast():
    css = (B.templates_dir() / "briefing.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    white = _luminance("#ffffff")
    # Part colours carry white numbers and are used for headings on white; the hub is
    # white on --hub; muted text sits on white and on the light tint.
    for name in ["ink", "muted", "hub", *(f"c{n}" for n in range(1, 8))]:
        ratio = (white + 0.05) / (_luminance(colours[name]) + 0.05)
        assert ratio >= 4.5, f"--{name} {colours[name]}: {ratio:.2f}:1"
    tint = _luminance(colours["tint"])
    assert (tint + 0.05) / (_luminance(colours["muted"]) + 0.05) >= 4.5


def test_plain_text_version_has_the_parts_in_order_and_the_support(out):
    text = (out / "briefing.txt").read_text(encoding="utf-8")
    positions = [text.find(f"{n}. {label}\n") for n, label in enumerate(LABELS, start=1)]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert "National Domestic Abuse Helpline: 0808 2000 247 (free, 24 hours)" in text
    assert "Domestic Homicide Review: Anna (2023)" in text
    assert "14 June 2024" in text
    assert all(len(line) <= 78 for line in text.splitlines())


def test_action_plan_proforma_is_one_fillable_page(out, example):
    form = PdfReader(out / "briefing-action-plan.pdf")
    assert len(form.pages) == 1
    fields = form.get_fields()
    questions = [name for name in fields if re.fullmatch(r"question-\d", name)]
    assert len(questions) == len(example.questions)
    for name in ("team", "discussed-on", "presented-by", "attendees", "action-1",
                 "action-1-who", "action-1-when", "embedded"):
        assert name in fields
    # Every field has an accessible name (the PDF tooltip, from the HTML title).
    assert all(field.get("/TU") for field in fields.values())
    text = squash(form.pages[0].extract_text())
    for question in example.questions:
        assert squash(question) in text


def test_page_one_preview_is_a_landscape_png(out):
    data = (out / B.PREVIEW).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width > height


def test_outputs_are_reproducible_and_skipped_when_unchanged(out, tmp_path):
    again = run("briefing", EXAMPLE, "--out", tmp_path)
    assert again.exit_code == 0, again.output
    for name in (*B.OUTPUTS, B.PREVIEW):
        built = (tmp_path / "example-dhr-anna" / name).read_bytes()
        assert built == (out / name).read_bytes(), name
    unchanged = run("briefing", EXAMPLE, "--out", tmp_path)
    assert unchanged.exit_code == 0
    assert "built" not in unchanged.output and unchanged.output.count("unchanged") == 5


def test_redaction_gate_passes_on_the_outputs(out):
    result = run("check", out / "briefing.html", out / "briefing.pdf", out / "briefing.txt",
                 out / "briefing-action-plan.pdf", "--case", EXAMPLE, "--key", KEY)
    assert result.exit_code == 0, result.output


def test_build_makes_the_briefing_too(example_build):
    for name in B.OUTPUTS:
        assert (example_build / name).is_file(), name


# --- word limits ----------------------------------------------------------------------

def test_a_part_over_the_word_limit_is_a_located_error(tmp_path):
    long = " ".join(["word"] * 91)
    case_dir = copy_example(tmp_path, what_happened=long)
    result = run("briefing", case_dir, "--out", tmp_path / "build")
    assert result.exit_code == 2
    line = line_of(case_dir, "what_happened")
    assert (f"{case_dir / 'case.yaml'}:{line}: briefing part 3 'What happened' has 91 words; "
            "the limit is 80") in result.output
    assert not (tmp_path / "build" / "example-dhr-anna" / "briefing.pdf").exists()


def test_the_word_limit_and_labels_come_from_case_yaml(tmp_path):
    case_dir = copy_example(tmp_path, word_limit=40, labels={"what_we_found": "Key learning"})
    result = run("briefing", case_dir, "--out", tmp_path / "build")
    assert result.exit_code == 2
    assert "briefing part 4 'Key learning' has 66 words; the limit is 40" in result.output
    assert "briefing part 1 'Background' has 80 words; the limit is 40" in result.output


def test_too_many_or_too_long_questions_are_errors(tmp_path):
    many = [f"Question number {n} for the team?" for n in range(7)]
    result = run("briefing", copy_example(tmp_path, questions=many), "--out", tmp_path / "b")
    assert result.exit_code == 2
    assert "briefing part 7 'Reflective questions' has 7 questions" in result.output


def test_an_unknown_theme_is_a_located_error(tmp_path):
    case_dir = copy_example(tmp_path, themes=["coercive-control", "stalkng"])
    result = run("briefing", case_dir, "--out", tmp_path / "b")
    assert result.exit_code == 2
    assert "unknown theme 'stalkng'" in result.output and "known themes: marac" in result.output


# --- drafting and questions -----------------------------------------------------------

def test_empty_parts_are_drafted_from_the_report(tmp_path):
    case_dir = copy_example(tmp_path, background="", what_we_found=None,
                            what_you_should_do="  ", good_practice=None)
    case = load_case(case_dir)
    tokens = parse_report(case).tokens
    briefing = B.compose(case, tokens)
    parts = {p.key: p for p in briefing.parts}
    report = B.report_text(tokens)
    intro = [t for kind, t, _ in report.blocks["introduction"] if kind == "p"]
    lessons = [t for kind, t, _ in report.blocks["lessons"] if kind == "h"]
    assert parts["background"].drafted
    assert parts["background"].blocks[0].text in intro[0]
    assert "Anna" in parts["background"].blocks[0].text
    assert parts["what_we_found"].blocks[0].items[:3] == tuple(lessons[:3])
    should = parts["what_you_should_do"].blocks[0].items
    assert should[0].startswith("Kent Police should")
    assert parts["good_practice"].blocks[0].items[0].startswith("The school's prompt sharing")
    for key in ("background", "what_we_found", "what_you_should_do", "good_practice"):
        assert parts[key].drafted and parts[key].words <= 80
    assert not parts["why_it_matters"].drafted


def test_draft_is_written_for_editing_and_reads_back_the_same(tmp_path):
    case_dir = copy_example(tmp_path, background=None, what_happened="")
    result = run("briefing", case_dir, "--out", tmp_path / "build", "--draft")
    assert result.exit_code == 0, result.output
    assert "1 Background:" in result.output and "drafted from the report" in result.output
    draft = tmp_path / "build" / "example-dhr-anna" / B.DRAFT_FILE
    text = draft.read_text(encoding="utf-8")
    assert "drafted from the report's Introduction" in text
    assert not (tmp_path / "build" / "example-dhr-anna" / "briefing.pdf").exists()
    case = load_case(case_dir)
    before = B.compose(case, parse_report(case).tokens)
    # The officer pastes the draft into case.yaml: the briefing is the same.
    edited = copy_example(tmp_path / "edited", **yaml.safe_load(text)["briefing"])
    case = load_case(edited)
    after = B.compose(case, parse_report(case).tokens)
    assert [p.blocks for p in after.parts] == [p.blocks for p in before.parts]
    assert after.questions == before.questions


def test_draft_is_written_even_when_a_part_is_over_its_limit(tmp_path):
    case_dir = copy_example(tmp_path, background=" ".join(["word"] * 120))
    result = run("briefing", case_dir, "--out", tmp_path / "build", "--draft")
    assert result.exit_code == 0, result.output
    assert "1 Background: 120 word(s)" in result.output


def test_questions_are_own_first_then_themes_then_general():
    lib = B.library()
    bounds = {"min": 3, "max": 6}
    marac, stalking = lib.get("marac"), lib.get("stalking")
    chosen, problems = B.choose_questions(["Our own question?"], [marac, stalking], lib, 200,
                                          bounds)
    assert not problems
    assert chosen[:3] == ["Our own question?", marac.questions[0], stalking.questions[0]]
    assert len(chosen) == 6
    general, problems = B.choose_questions([], [], lib, 80, bounds)
    assert not problems and general == list(lib.general)
    _, problems = B.choose_questions([], [], lib, 10, bounds)
    assert problems and "needs at least 3" in problems[0]


def test_themes_library_is_complete_and_detects_the_example_s_themes():
    lib = B.library()
    assert {t.key for t in lib.themes} == {
        "marac", "coercive-control", "stalking", "carers", "barriers-to-engagement",
        "adolescent-to-parent-violence", "mental-health-and-police", "children",
        "economic-abuse", "suicide-after-abuse"}
    for theme in lib.themes:
        assert len(theme.questions) >= 2 and theme.keywords and theme.why_it_matters
        assert all(q.endswith("?") for q in theme.questions)
    case = load_case(EXAMPLE)
    detected = [t.key for t, _ in B.detect_themes(
        B.report_text(parse_report(case).tokens).all_text())]
    assert {"coercive-control", "stalking", "marac", "economic-abuse"} <= set(detected)
    assert "adolescent-to-parent-violence" not in detected and "carers" not in detected


def test_text_parser_and_word_count():
    blocks = B.parse_text("One two.\nThree.\n\n- a list\n  item\n- second\n\nAfter.")
    assert blocks == [B.Block("One two. Three."), B.Block(items=("a list item", "second")),
                      B.Block("After.")]
    assert B.count_words("Anna's 24-hour line – 0808 2000 247.") == 6


def test_compose_reports_every_problem_at_once(tmp_path):
    case_dir = copy_example(tmp_path, background=" ".join(["w"] * 81),
                            good_practice=" ".join(["w"] * 82))
    case = load_case(case_dir)
    with pytest.raises(InputError) as caught:
        B.compose(case, parse_report(case).tokens)
    messages = [p.message for p in caught.value.problems]
    assert any("'Background' has 81 words" in m for m in messages)
    assert any("'Good practice' has 82 words" in m for m in messages)


# --- typography, questions and where to read the full review -----------------------

def _part_texts(example: B.Briefing) -> list[str]:
    return [squash(block.text or " ".join(block.items))
            for part in example.parts for block in part.blocks]


def test_body_is_at_least_11pt_and_nothing_under_10pt(out, example):
    from pdflayout import runs

    all_runs = runs(out / "briefing.pdf")
    assert min(r.size for r in all_runs) >= 10, sorted({r.size for r in all_runs})
    texts = _part_texts(example)
    body = [r for r in all_runs if len(r.text.strip()) > 12
            and any(squash(r.text) in t for t in texts)]
    assert len(body) > 40
    assert min(r.size for r in body) >= 11, sorted({r.size for r in body})


def test_questions_are_regular_weight_with_a_number(out, example):
    from pdflayout import runs

    all_runs = runs(out / "briefing.pdf")
    for question in example.questions:
        first = next(r for r in all_runs if len(r.text.strip()) > 12
                     and squash(question).startswith(squash(r.text)))
        assert "Bold" not in first.font, first
        assert any(r.page == first.page and abs(r.top - first.top) < 1 and r.x < first.x
                   and re.fullmatch(r"\d+\.\s*", r.text) for r in all_runs), first


def test_panels_in_a_row_are_balanced(out, example):
    """Panels side by side end near each other: none is left half empty beside a full
    one (the text parts, not the questions, which run across the page)."""
    from pdflayout import runs

    all_runs = runs(out / "briefing.pdf")
    for first, second, third in ((1, 2, 3), (4, 5, 6)):
        spans = []
        for number in (first, second, third):
            part = example.parts[number - 1]
            heading = next(r for r in all_runs if r.text.strip() == part.label)
            words = {squash(b.text or " ".join(b.items)) for b in part.blocks}
            lines = [r for r in all_runs if r.page == heading.page and r.top > heading.top
                     and any(squash(r.text) in w for w in words) and len(r.text.strip()) > 3]
            spans.append(max(r.top for r in lines) - heading.top)
        assert min(spans) >= 0.7 * max(spans), (first, spans)


def test_full_review_names_each_site_page_and_a_draft_is_not_yet_published(out, tmp_path):
    from pipeline.common.signposting import signposting

    text = squash((out / "briefing.txt").read_text(encoding="utf-8"))
    sites = signposting().sites
    assert "is not yet published" in text
    for site in sites:
        assert squash(site.review_page) in text and site.council in text
    final = copy_example(tmp_path)
    path = final / "case.yaml"
    path.write_text(path.read_text(encoding="utf-8")
                    .replace("  status: draft", "  status: final", 1)
                    .replace("  publication: null", "  publication: 2024-09-02", 1),
                    encoding="utf-8")
    case = load_case(final)
    assert not case.is_draft
    published = B.compose(case, parse_report(case).tokens).full_review
    assert "not yet published" not in published
    assert all(site.review_page in published for site in sites)
