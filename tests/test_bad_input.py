"""Bad input: each gives one located message, exit code 2, and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run


def replace(name: str, old: str, new: str):
    def mutate(case: Path) -> None:
        path = case / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture no longer contains {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return mutate


def write_bytes(name: str, old: bytes, new: bytes):
    def mutate(case: Path) -> None:
        path = case / name
        path.write_bytes(path.read_bytes().replace(old, new, 1))
    return mutate


def delete(name: str):
    return lambda case: (case / name).unlink()


# (id, mutation, file and line the message must start with, words it must contain)
CASES = [
    ("malformed-yaml", replace("case.yaml", "victim: Zoe", "victim: [Zoe"),
     "case.yaml:8:", "YAML syntax error"),
    ("missing-required-field", replace("case.yaml", "review_type: DHR\n", ""),
     "case.yaml:2:", "missing required field 'review_type'"),
    ("value-outside-vocabulary", replace("case.yaml", "review_type: DHR", "review_type: DHX"),
     "case.yaml:4:", "use one of: DHR, DARDR"),
    ("role-outside-vocabulary", replace("case.yaml", "role: perpetrator", "role: suspect"),
     "case.yaml:22:", "use one of: victim, perpetrator"),
    ("bad-date", replace("case.yaml", "death: 2029-01-02", "death: 2029-02-30"),
     "case.yaml:37:", "not a real date"),
    ("date-shape", replace("case.yaml", "death: 2029-01-02", "death: 2 January 2029"),
     "case.yaml:37:", "expected a date written YYYY-MM-DD"),
    ("unknown-field", replace("case.yaml", "region: South East", "regoin: South East"),
     "case.yaml:2:", "unknown field 'regoin'"),
    ("duplicate-field", replace("case.yaml", "region: South East", "region: South East\nid: x"),
     "case.yaml:7:", "appears twice"),
    ("victim-not-in-table", replace("case.yaml", "victim: Zoe", "victim: Zara"),
     "case.yaml:7:", "not in pseudonyms.people"),
    ("missing-report", delete("report.md"), "report.md:", "file not found"),
    ("missing-action-plan", delete("action-plan.yaml"), "action-plan.yaml:", "file not found"),
    ("non-utf8-report", write_bytes("report.md", b"Zoe loved", b"Zo\xe9 loved"),
     "report.md:6:", "not valid UTF-8"),
    ("non-utf8-case", write_bytes("case.yaml", b"Test Chair", b"T\xe9st Chair"),
     "case.yaml:27:", "not valid UTF-8"),
    ("unknown-heading", replace("report.md", "# Timescales", "# Things that happened"),
     "report.md:15:", "unknown section heading 'Things that happened'"),
    ("text-before-first-heading", replace("report.md", "# Preface", "Hello.\n\n# Preface"),
     "report.md:1:", "text before the first section heading"),
    ("raw-html", replace("report.md", "An overview.", "<div>An overview.</div>"),
     "report.md:72:", "raw HTML"),
    ("inline-html", replace("report.md", "An overview.", "An <b>overview</b>."),
     "report.md:72:", "raw HTML '<b>'"),
    ("unknown-insert", replace("report.md", "@[panel]", "@[panels]"),
     "report.md:41:", "unknown insert '@[panels]'"),
    ("unknown-callout", replace("report.md", "::: tribute", "::: warning"),
     "report.md:5:", "unknown or unclosed callout '::: warning'"),
    ("too-deep-heading", replace("report.md", "## Term 1", "#### Term 1"),
     "report.md:76:", "too deep"),
    ("missing-image", replace("report.md", "An overview.", "![A map](map.png)"),
     "report.md:72:", "image 'map.png' not found"),
    ("action-plan-scope", replace("action-plan.yaml", "scope: Local", "scope: Global"),
     "action-plan.yaml:3:", "use one of: Local, Regional, National"),
    ("action-plan-month", replace("action-plan.yaml", '"2030-06"', '"2030-13"'),
     "action-plan.yaml:7:", "not a real month"),
]


@pytest.mark.parametrize(("mutate", "where", "words"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
@pytest.mark.parametrize("command", ["validate", "build"])
def test_bad_input(minimal: Path, tmp_path: Path, command, mutate, where, words):
    mutate(minimal)
    out = tmp_path / "out"
    args = ["build", minimal, "--out", out] if command == "build" else ["validate", minimal]
    result = run(*args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    message = lines[0]
    relative = message.removeprefix(str(minimal) + "/")
    assert relative.startswith(where), message
    assert words in message
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.rglob("*.*")), "bad input must leave no output"


def test_debug_shows_traceback(minimal: Path):
    replace("case.yaml", "review_type: DHR", "review_type: DHX")(minimal)
    from click.testing import CliRunner

    from pipeline.cli import main

    result = CliRunner().invoke(main, ["--debug", "validate", str(minimal)])
    assert result.exit_code == 2
    assert "Traceback" in result.stderr


def test_failed_build_keeps_previous_output(minimal: Path, tmp_path: Path):
    """A broken edit after a good build leaves the good files untouched, not half-written."""
    assert run("build", minimal, "--out", tmp_path, "--no-pdf").exit_code == 0
    html = tmp_path / "test-minimal" / "report.html"
    before = html.read_bytes()
    replace("report.md", "# Timescales", "# Nonsense")(minimal)
    assert run("build", minimal, "--out", tmp_path, "--no-pdf").exit_code == 2
    assert html.read_bytes() == before
    assert not [p for p in html.parent.iterdir() if p.name.endswith(".tmp")]
