"""The structure check fits real reports: the profile is data, a chair's own headings are
mapped in case.yaml, only essential sections are errors, order and writing problems are
warnings with their lines."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import EXAMPLE, run
from test_bad_input import replace
from test_structure import drop_section, move_section


def lines(result, case: Path) -> list[str]:
    return [line.removeprefix(str(case) + "/") for line in result.stderr.splitlines()]


def map_headings(case: Path, mapping: str) -> None:
    replace("case.yaml", "  date: 2030-01-15\n",
            f"  date: 2030-01-15\n  sections:\n{mapping}")(case)


def test_a_chairs_own_headings_validate_once_mapped_in_case_yaml(minimal: Path):
    replace("report.md", "# Involvement of Family, Friends, Colleagues, Neighbours and the "
            "Wider Community", "# Contact with family, friends")(minimal)
    replace("report.md", "# Chronology", "# What happened and when")(minimal)
    refused = run("validate", minimal)
    assert refused.exit_code == 2
    assert lines(refused, minimal) == [
        "report.md:31: unknown section heading 'Contact with family, friends'; use a Home "
        "Office section title, or map it in case.yaml: report: {sections: {\"Contact with "
        "family, friends\": <section key>}}"]
    map_headings(minimal, '    "Contact with family, friends": involvement\n'
                          '    "What happened and when": chronology\n')
    result = run("validate", minimal)
    assert result.exit_code == 0, result.stderr
    assert "ok (DHR test-minimal)" in result.stdout


def test_a_mapping_to_a_section_that_does_not_exist_is_bad_input(minimal: Path):
    map_headings(minimal, '    "Contact with family": family_stuff\n')
    result = run("validate", minimal)
    assert result.exit_code == 2
    assert lines(result, minimal)[0].startswith(
        "case.yaml:13: 'Contact with family' is mapped to 'family_stuff', which is not a "
        "section of home-office-2016; use one of: preface, introduction")


def test_an_unknown_structure_profile_is_bad_input(minimal: Path):
    replace("case.yaml", "  date: 2030-01-15\n", "  date: 2030-01-15\n"
            "  structure: home-office-1999\n")(minimal)
    result = run("validate", minimal)
    assert result.exit_code == 2
    assert lines(result, minimal) == [
        "case.yaml:12: unknown report structure 'home-office-1999'; use one of: "
        "home-office-2016"]


def test_a_missing_non_essential_section_is_a_warning_with_its_line(minimal: Path):
    drop_section("Timescales")(minimal)
    result = run("validate", minimal)
    assert result.exit_code == 0, result.stderr
    assert "report.md:15: warning: missing section 'Timescales' (it goes before " \
           "'Confidentiality')" in lines(result, minimal)


def test_a_missing_last_section_points_at_the_end_of_the_report(tmp_path: Path):
    case = tmp_path / "case"
    shutil.copytree(EXAMPLE, case)
    text = (case / "report.md").read_text(encoding="utf-8")
    start, end = text.index("# Dissemination\n"), text.index("# Background Information\n")
    (case / "report.md").write_text(text[:start] + text[end:], encoding="utf-8")
    result = run("validate", case)
    assert result.exit_code == 0, result.stderr
    assert any(line.startswith("report.md:224: warning: missing section 'Dissemination'")
               for line in lines(result, case)), result.stderr


def test_sections_out_of_order_are_a_warning_with_the_expected_order(minimal: Path):
    move_section("Methodology", "Introduction")(minimal)
    result = run("validate", minimal)
    assert result.exit_code == 0, result.stderr
    warning = next(line for line in lines(result, minimal) if "out of order" in line)
    assert warning.startswith("report.md:")
    assert "(expected order: Preface; Introduction; Timescales; Confidentiality; Terms of " \
           "Reference; Methodology; Involvement" in warning


def test_typed_numbers_skipped_levels_uncaptioned_tables_and_missing_alt_are_warnings(
        minimal: Path):
    replace("report.md", "A second paragraph.", "2.1 A second paragraph.")(minimal)
    replace("report.md", "## Term 1", "### Term 1")(minimal)
    (minimal / "map.png").write_bytes(_png())
    replace("report.md", "An overview.", "An overview.\n\n![](map.png)")(minimal)
    result = run("validate", minimal)
    assert result.exit_code == 0, result.stderr
    found = lines(result, minimal)
    assert "report.md:13: warning: paragraph starts with a typed number '2.1'; the renderer " \
           "numbers paragraphs and sections, so delete it" in found
    assert any(line.startswith("report.md:78: warning: heading level 3 follows level 1")
               for line in found), found
    assert "report.md:66: warning: table without a caption; write 'Table: what it shows' " \
           "on the line above it" in found
    assert "report.md:74: warning: image 'map.png' is not copied into build/: the PDFs " \
           "include it, but report.html only links to it in the review folder, so the HTML " \
           "shows nothing once published" in found
    assert "report.md:74: warning: image without alt text; write ![what it shows](file)" \
           in found


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "#1d70b8").save(buffer, "PNG")
    return buffer.getvalue()


def test_names_copied_from_another_review_are_errors(minimal: Path):
    replace("case.yaml", "publication:\n", "briefing:\n  background: |-\n"
            "    Zoe was 30. Anna's story had every warning sign.\n"
            "form:\n  incident:\n    location: Residential location\n"
            "publication:\n")(minimal)
    replace("report.md", "An overview.", "::: summary\nLeo saw what happened.\n:::")(minimal)
    result = run("validate", minimal)
    assert result.exit_code == 1, result.output
    found = lines(result, minimal)
    assert "case.yaml:42: 'Anna' in briefing.background is a pseudonym of review " \
           "example-dhr-anna, not of this one; text copied from another review?" in found
    assert any(line.startswith("report.md:73: 'Leo' in the executive summary is a pseudonym "
                               "of review example-dhr-anna") for line in found), found
    assert not any("'Zoe'" in line for line in found)
