"""Clearer first runs: a build without a key says so once; validate's warnings are shown
by build; errors in the pseudonymised copy point at the chair's file and line; an empty report is
an error that leaves the previous outputs untouched."""

from __future__ import annotations

import shutil

from conftest import EXAMPLE, run
from test_bad_input import replace


def test_a_build_without_a_key_says_once_that_nothing_was_pseudonymised(minimal, tmp_path):
    result = run("build", minimal, "--out", tmp_path / "out", "--no-pdf")
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "nothing was pseudonymised" in line]
    assert notes == ["note: no key (--key or $DHR_KEY): nothing was pseudonymised; the "
                     "outputs show the text as written"]


def test_build_shows_validates_warnings(minimal, tmp_path):
    replace("report.md", "A second paragraph.", "2.1 A second paragraph.")(minimal)
    result = run("build", minimal, "--out", tmp_path / "out", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert f"{minimal}/report.md:13: warning: paragraph starts with a typed number '2.1'; " \
           "the renderer numbers paragraphs and sections, so delete it" in \
           result.stderr.splitlines()


def test_errors_in_the_pseudonymised_text_point_at_the_chairs_file(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(EXAMPLE, case)
    # a real name wrapped across two lines shortens the pseudonymised copy by one line
    replace("report.md", "# Preface\n", "# Preface\n\nSarah\nWhitfield was loved.\n")(case)
    replace("report.md", "# Dissemination\n", "# Disseminaton\n")(case)
    line = (case / "report.md").read_text(encoding="utf-8").splitlines().index(
        "# Disseminaton") + 1
    result = run("build", case, "--key", case / "key.example.yaml", "--out", tmp_path / "out",
                 "--no-pdf")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].startswith(
        f"{case}/report.md:{line}: unknown section heading 'Disseminaton'")
    assert "source" not in result.stderr


def test_an_empty_report_is_an_error_that_keeps_the_previous_outputs(minimal, tmp_path):
    out = tmp_path / "out"
    assert run("build", minimal, "--out", out, "--no-pdf").exit_code == 0
    html = out / "test-minimal" / "report.html"
    before = html.read_bytes()
    (minimal / "report.md").write_text("\n\n", encoding="utf-8")
    result = run("build", minimal, "--out", out, "--no-pdf")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"{minimal}/report.md:1: the report is empty; nothing was built (write it, or start "
        "from `dhr new` or `dhr import`)")
    assert html.read_bytes() == before
    assert run("validate", minimal).exit_code == 2
