"""The build graph: each stage rebuilt exactly when something it reads or runs changed.

A copy of the package, its templates and rules is edited one stage at a time, and the
example is rebuilt with that copy (a real subprocess, so the copy's code is what runs);
the test reads which outputs the build says it wrote.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, run

HTML = {"report.html", "summary.html", "action-plan.html", "action-plan.csv"}
PDFS = {"report.pdf", "summary.pdf", "action-plan.pdf"}
FORM = {"form/form.pdf", "form/form.json", "form/form.csv"}
BRIEFING = {"briefing.pdf", "briefing.html", "briefing.txt", "briefing-action-plan.pdf",
            "briefing-page1.png"}


@pytest.fixture(scope="module")
def house(tmp_path_factory):
    """A copy of the installation and a first build of the example with it."""
    home = tmp_path_factory.mktemp("house")
    for part in ("pipeline", "templates", "redaction_rules"):
        shutil.copytree(ROOT / part, home / part,
                        ignore=shutil.ignore_patterns("__pycache__"))
    out = home / "build"
    built = build(home, out)
    assert built >= HTML | PDFS | FORM | BRIEFING
    return home, out


def build(home: Path, out: Path, *extra: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(home), "DHR_HOME": str(home)}
    # run from the copy, so `python -m` finds the copy's package first
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "build", str(EXAMPLE),
                           "--out", str(out), *extra], env=env, capture_output=True,
                          text=True, check=False, cwd=home)
    assert done.returncode == 0, done.stderr
    root = out / "example-dhr-anna"
    return {Path(line.split(None, 1)[1]).relative_to(root).as_posix()
            for line in done.stdout.splitlines() if line.startswith("built ")}


def edit(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line)


@pytest.mark.parametrize(("changed", "line", "rebuilt"), [
    # nothing changed: nothing rebuilt
    (None, "", set()),
    # the PDF writer's own code (the old bug: fixed tagging never reached existing PDFs);
    # the form and the briefing are written by it too
    ("pipeline/report/pdf_tags.py", "\n# edited\n", PDFS | FORM | BRIEFING),
    ("templates/form/form.css", "\n/* edited */\n", FORM),
    # the form's answers: the form, and the HTML stage, which validates them first
    ("pipeline/form/answers.py", "\n# edited\n", FORM | HTML),
    ("pipeline/briefing/compose.py", "\n# edited\n", BRIEFING),
    ("templates/briefing/briefing.css", "\n/* edited */\n", BRIEFING),
    # the report's templates: every HTML and every PDF made from it (the briefing reads
    # them too)
    ("templates/report/report.css", "\n/* edited */\n", HTML | PDFS | BRIEFING),
])
def test_each_stage_rebuilt_exactly_when_its_code_or_templates_change(house, changed,
                                                                      line, rebuilt):
    home, out = house
    if changed:
        edit(home / changed, line)
    assert build(home, out) == rebuilt


def test_no_pdf_never_leaves_a_stale_pdf(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(EXAMPLE, case, ignore=shutil.ignore_patterns("key*.yaml"))
    out = tmp_path / "out"
    assert run("build", case, "--out", out).exit_code == 0
    root = out / "example-dhr-anna"
    text = (case / "report.md").read_text(encoding="utf-8")
    (case / "report.md").write_text(text.replace("Anna", "Anna", 1) + "\nA new line.\n",
                                    encoding="utf-8")
    result = run("build", case, "--out", out, "--no-pdf")
    assert result.exit_code == 0, result.output
    assert "removed    " in result.stdout
    assert not (root / "report.pdf").exists()  # its print HTML changed
    assert (root / "report.html").read_text(encoding="utf-8").count("A new line.") == 1
    # the PDFs whose print HTML did not change are still current, and stay
    assert (root / "action-plan.pdf").is_file()
    # and a later build with PDFs makes the missing one again
    result = run("build", case, "--out", out)
    assert f"built      {root / 'report.pdf'}" in result.stdout


def test_an_output_changed_by_hand_is_rebuilt(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(EXAMPLE, case, ignore=shutil.ignore_patterns("key*.yaml"))
    out = tmp_path / "out"
    assert run("build", case, "--out", out, "--no-pdf").exit_code == 0
    page = out / "example-dhr-anna" / "summary.html"
    page.write_text("tampered", encoding="utf-8")
    result = run("build", case, "--out", out, "--no-pdf")
    assert f"built      {page}" in result.stdout
    assert page.read_text(encoding="utf-8") != "tampered"
