"""The structure check: Home Office sections and order, equality and diversity, the action
plan against the recommendations. Each problem is `file:line: message`, exit code 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run
from test_bad_input import replace


def move_section(title: str, before: str):
    def mutate(case: Path) -> None:
        path = case / "report.md"
        text = path.read_text(encoding="utf-8")
        start = text.index(f"# {title}\n")
        end = text.index("\n# ", start + 1) + 1
        block = text[start:end]
        text = text[:start] + text[end:]
        at = text.index(f"# {before}\n")
        path.write_text(text[:at] + block + text[at:], encoding="utf-8")
    return mutate


def drop_section(title: str):
    def mutate(case: Path) -> None:
        path = case / "report.md"
        text = path.read_text(encoding="utf-8")
        start = text.index(f"# {title}\n")
        end = text.index("\n# ", start + 1) + 1
        path.write_text(text[:start] + text[end:], encoding="utf-8")
    return mutate


CASES = [
    ("missing-essential-section", drop_section("Analysis"),
     "report.md:74:", "missing essential section 'Analysis' (it goes before 'Conclusions')"),
    ("duplicate", replace("report.md", "# Overview\n", "# Overview\n\nx\n\n# Overview\n"),
     "report.md:", "appears twice"),
    ("equality-gap", replace("report.md", "sex and sexual orientation", "and gender"),
     "report.md:51:", "does not discuss: sexual orientation"),
    ("recommendation-without-action",
     replace("report.md", "coercive control.\n\n# Appendix",
             "coercive control.\n2. **Medway Council** should act.\n\n# Appendix"),
     "report.md:91:", "recommendation 2 has no row in action-plan.yaml"),
    ("action-without-recommendation", replace("action-plan.yaml", "recommendation: 1",
                                              "recommendation: 3"),
     "action-plan.yaml:2:", "recommendation 3, but the report has 1"),
    ("no-recommendations-list",
     replace("report.md", "1. **Kent Police** should", "**Kent Police** should"),
     "report.md:88:", "no recommendations found"),
    ("section-after-appendix",
     replace("report.md", "# Recommendations\n", "# Appendix Z: Notes\n\nx\n\n# Recommendations\n"),
     "report.md:", "comes after an appendix"),
]


@pytest.mark.parametrize(("mutate", "where", "words"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_structure_problem(minimal: Path, tmp_path: Path, mutate, where, words):
    mutate(minimal)
    result = run("validate", minimal)
    assert result.exit_code == 1, result.output
    lines = [line.removeprefix(str(minimal) + "/") for line in result.stderr.splitlines()]
    assert any(line.startswith(where) and words in line for line in lines), result.stderr
    # build refuses too, and writes nothing
    build = run("build", minimal, "--out", tmp_path / "out")
    assert build.exit_code == 1
    assert not (tmp_path / "out" / "test-minimal" / "report.html").exists()


def test_synonym_headings_are_accepted(minimal: Path):
    replace("report.md", "# Lessons to be Learned", "# 18. Lessons Learnt")(minimal)
    replace("report.md", "# The Review Panel", "# Panel Membership")(minimal)
    result = run("validate", minimal)
    assert result.exit_code == 0, result.stderr


def test_dardr_wording_on_the_cover(minimal: Path, tmp_path: Path):
    replace("case.yaml", "review_type: DHR", "review_type: DARDR")(minimal)
    assert run("build", minimal, "--out", tmp_path, "--no-pdf").exit_code == 0
    html = (tmp_path / "test-minimal" / "report.html").read_text(encoding="utf-8")
    assert "Domestic Abuse Related Death Review into the death of Zoe" in html
    assert "Domestic Homicide Review" not in html


def test_final_report_has_no_marking(minimal: Path, tmp_path: Path):
    """Once every gate before release is closed; until then the whole set says it is not
    for publication (so a draft package can ship these very files)."""
    replace("case.yaml", "status: draft", "status: final")(minimal)
    assert run("build", minimal, "--out", tmp_path).exit_code == 0
    html = (tmp_path / "test-minimal" / "report.html").read_text(encoding="utf-8")
    assert "OFFICIAL-SENSITIVE – DRAFT – NOT FOR PUBLICATION" in html
    replace("case.yaml", "  panel_meetings: [2029-04-01]\n",
            "  panel_meetings: [2029-04-01]\n  qa_approval: 2029-09-01\n"
            "  family_informed: 2029-10-01\n  publication: 2029-10-15\n")(minimal)
    replace("case.yaml", "  decision: undecided",
            "  decision: publish\n  criminal_proceedings: concluded")(minimal)
    assert run("build", minimal, "--out", tmp_path).exit_code == 0
    from pypdf import PdfReader

    reader = PdfReader(tmp_path / "test-minimal" / "report.pdf")
    assert all("OFFICIAL-SENSITIVE" not in (p.extract_text() or "") for p in reader.pages)
    html = (tmp_path / "test-minimal" / "report.html").read_text(encoding="utf-8")
    assert "OFFICIAL-SENSITIVE" not in html


def test_footnote_sits_on_the_page_of_its_call(minimal: Path, tmp_path: Path):
    assert run("build", minimal, "--out", tmp_path).exit_code == 0
    from pypdf import PdfReader

    pages = [p.extract_text() or "" for p in
             PdfReader(tmp_path / "test-minimal" / "report.pdf").pages]
    call = next(i for i, text in enumerate(pages) if "This review examines" in text)
    assert "Multi-agency statutory guidance" in pages[call]
