"""`dhr import`: a fictional chair's Word draft (python-docx: heading styles, typed
numbers, a captioned chronology table, a footnote, a picture with alt text, a comment, a
tracked insertion and deletion, a header, core properties naming an author) becomes a
review that validates and builds with no hand edits; unresolved changes are refused with
a list; the same file gives the same bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import run
from wordfiles import AUTHOR, chair_draft, headed, planted

MASKED_AUTHOR = "H****** E**********"


@pytest.fixture
def review(tmp_path: Path) -> Path:
    case = tmp_path / "review"
    assert run("new", case, "--id", "test-word-draft").exit_code == 0
    return case


def test_the_draft_imports_validates_and_builds_with_no_hand_edits(tmp_path, review):
    draft = chair_draft(tmp_path / "draft.docx")
    result = run("import", draft, review, "--force", "--accept-changes")
    assert result.exit_code == 0, result.output
    assert "  Family Involvement" in result.stdout
    assert "-> Involvement of Family, Friends, Colleagues, Neighbours and the Wider " \
           "Community (synonym)" in result.stdout
    report = (review / "report.md").read_text(encoding="utf-8")
    assert report.startswith("# Introduction\n\nThis review examines the death of Zoe")
    assert "1.1" not in report and "a) " not in report and "# 16." not in report
    assert "## Term 1\n" in report
    assert "Table: Combined chronology\n\n| Date | Agency | Event |\n| --- | --- | --- |\n" \
           "| March 2028 | Kent Police | Call to the home; no offence recorded. |" in report
    assert "Analysis of term 1.[^1]" in report
    assert report.endswith("[^1]: Kent Police IMR, paragraph 4.\n")
    assert "![A map of the county, with no places marked](images/image1.png)" in report
    assert "<!-- Comment: Check this date with the police -->" in report
    assert "She worked in a shop." in report and "no family nearby" not in report
    assert "OFFICIAL-SENSITIVE: draft" not in report  # the header is Word's, not the text
    assert AUTHOR not in report and AUTHOR.split()[1] not in report
    assert (review / "images" / "image1.png").read_bytes().startswith(b"\x89PNG")
    warnings = result.stderr.splitlines()
    assert f"{draft}: warning: document property 'creator' is '{MASKED_AUTHOR}': not " \
           "copied into the review; clear it in Word (File > Info > Check for Issues > " \
           "Inspect Document) before the file goes further" in warnings
    assert not any(AUTHOR in line for line in warnings)

    assert run("validate", review).exit_code == 0
    built = run("build", review, "--out", tmp_path / "out")
    assert built.exit_code == 0, built.output
    out = tmp_path / "out" / "test-word-draft"
    assert (out / "report.pdf").stat().st_size > 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Check this date" not in html  # a note for the chair, never rendered
    assert "<caption>Combined chronology</caption>" in html


def test_unresolved_changes_and_comments_are_refused_with_a_list(tmp_path, review):
    before = (review / "report.md").read_bytes()
    draft = chair_draft(tmp_path / "draft.docx")
    result = run("import", draft, review, "--force")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{draft}: paragraph 28: tracked insertion by {MASKED_AUTHOR}: \"She worked in a "
        "shop.\"",
        f"{draft}: paragraph 28: tracked deletion by {MASKED_AUTHOR}: \"She had no family "
        "nearby.\"",
        f"{draft}: paragraph 33: comment by {MASKED_AUTHOR}: \"Check this date with the "
        "police\"",
        f"{draft}: unresolved tracked changes or comments: resolve them in Word, or give "
        "--accept-changes to accept every change and keep comments as <!-- --> notes",
        "4 problem(s) found"]
    assert (review / "report.md").read_bytes() == before
    assert not (review / "images").exists()


def test_a_draft_without_changes_imports_without_accept_changes(tmp_path, review):
    draft = chair_draft(tmp_path / "draft.docx", changes=False, comment=False)
    assert run("import", draft, review, "--force").exit_code == 0


def test_importing_the_same_file_twice_gives_the_same_bytes(tmp_path):
    draft = chair_draft(tmp_path / "draft.docx")
    digests = []
    for name in ("one", "two"):
        case = tmp_path / name
        assert run("import", draft, case, "--accept-changes").exit_code == 0
        digests.append([hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in sorted(case.rglob("*")) if p.is_file()])
    assert digests[0] == digests[1]


def test_headings_are_matched_exactly_by_synonym_closely_or_by_case_yaml(tmp_path, review):
    draft = headed(tmp_path / "draft.docx", [
        "Introduction", "Lessons Learnt", "Contributers to the Review",
        "Contact with family, friends", "Appendix A: Glossary"])
    result = run("import", draft, review, "--force")
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "Introduction -> Introduction (exact)" in lines
    assert "Lessons Learnt -> Lessons to be Learned (synonym)" in lines
    assert "Contributers to the Review -> Contributors to the Review (close match)" in lines
    assert "Contact with family, friends -> NO SECTION: map it in case.yaml " \
           "report.sections (unmatched)" in lines
    assert "Appendix A: Glossary -> (appendix) (appendix)" in lines
    report = (review / "report.md").read_text(encoding="utf-8")
    assert "# Contributors to the Review\n" in report  # the close match is corrected
    case = review / "case.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace(
        "  sections: {}", '  sections: {"Contact with family, friends": involvement}'),
        encoding="utf-8")
    again = run("import", draft, review, "--force")
    assert "Contact with family, friends -> Involvement of Family, Friends, Colleagues, " \
           "Neighbours and the Wider Community (case.yaml)" in \
           [" ".join(line.split()) for line in again.stdout.splitlines()]


def test_merged_cells_missing_alt_text_and_the_cover_are_reported(tmp_path, review):
    draft = headed(tmp_path / "draft.docx", ["Introduction"], merged=True, alt=None,
                   cover=True)
    result = run("import", draft, review, "--force")
    assert result.exit_code == 0, result.output
    errors = result.stderr.splitlines()
    assert f"{draft}: warning: table 1, row 2, column 1: merged across 1 row(s) and 2 " \
           "column(s); the text is kept in the first cell and the others are left empty " \
           "(merged cells are an accessibility failure: split them in Word)" in errors
    assert f"{draft}: warning: paragraph 4: image without alt text; write what it shows " \
           "in report.md" in errors
    assert "1 paragraph(s) before the first heading (cover, contents) not imported: dhr " \
           "makes its own" in errors
    report = (review / "report.md").read_text(encoding="utf-8")
    assert "| r1c0 r1c1 |   | r1c2 |" in report  # python-docx merges the texts
    assert "Contents" not in report and "![](images/image1.png)" in report
    validated = run("validate", review)
    assert any("warning: image without alt text" in line
               for line in validated.stderr.splitlines()), validated.stderr


def test_with_the_key_the_import_is_pseudonymised_and_gated(tmp_path, review):
    key = tmp_path / "key.yaml"
    key.write_text('people:\n  - real: "Sarah Whitfield"\n    aliases: []\n'
                   '    pseudonym: "Zoe"\n    role: victim\n', encoding="utf-8")
    draft = planted(tmp_path / "draft.docx", "body", "Sarah Whitfield")
    result = run("import", draft, review, "--force", "--key", key, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "Sarah Whitfield" in (review / "report.md").read_text(encoding="utf-8")
    source = tmp_path / "out" / "test-word-draft" / "source" / "report.md"
    assert "She was known as Zoe." in source.read_text(encoding="utf-8")
    assert "the redaction gate found nothing blocking" in result.stdout


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("make, message", [
    (lambda p: _written(p.with_suffix(".doc"), b"x"),
     "not a .docx file; save the draft from Word as Word Document (.docx)"),
    (lambda p: p, "file not found"),
    (lambda p: _written(p, b"PK\x03\x04 broken"), "corrupt Word file"),
    (lambda p: headed(p, []), "no level-1 heading (Word style 'Heading 1'); the report's "
                              "sections must be Heading 1"),
])
def test_bad_input(tmp_path, make, message):
    path = make(tmp_path / "draft.docx")
    result = run("import", path, tmp_path / "review")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"{path}: {message}")
    assert "Traceback" not in result.output


def test_an_existing_report_is_not_replaced_without_force(tmp_path, review):
    draft = chair_draft(tmp_path / "draft.docx")
    result = run("import", draft, review, "--accept-changes")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{review / 'report.md'}: already exists; give --force to replace it with the import "
        "of draft.docx"]


def test_hidden_text_is_said_to_be_imported_as_visible_text(tmp_path, review):
    draft = planted(tmp_path / "draft.docx", "hidden", "Sarah Whitfield")
    result = run("import", draft, review, "--force")
    assert result.exit_code == 0, result.output
    assert f"{draft}: warning: hidden text in Word paragraph 2 ('S**** W********') is " \
           "imported as visible text: delete it from report.md if it must not be published" \
           in result.stderr.splitlines()
    assert "Sarah Whitfield" not in result.output
