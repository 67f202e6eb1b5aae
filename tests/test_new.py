"""`dhr new`: a review folder that validates at once, explains itself, and never
overwrites anything."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import run

from pipeline.report.profile import load_profile


def test_a_new_review_validates_at_once(tmp_path: Path):
    case = tmp_path / "kent-dhr-2031-01"
    result = run("new", case)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in case.iterdir()) == [
        ".gitignore", "action-plan.yaml", "case.yaml", "report.md"]
    checked = run("validate", case)
    assert checked.exit_code == 0, checked.stderr
    assert "ok (DHR kent-dhr-2031-01)" in checked.stdout


def test_every_section_heading_with_its_prompt_as_a_comment(tmp_path: Path):
    case = tmp_path / "review"
    run("new", case, "--id", "test-new-review")
    report = (case / "report.md").read_text(encoding="utf-8")
    for spec in load_profile().sections:
        assert f"# {spec.title}\n\n<!-- {spec.prompt} -->\n" in report
    for name in load_profile().protected_characteristics:
        assert f"## {name[0].upper()}{name[1:]}\n" in report


def test_case_yaml_explains_every_field(tmp_path: Path):
    case = tmp_path / "review"
    run("new", case, "--id", "test-new-review", "--type", "DARDR")
    text = (case / "case.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["review_type"] == "DARDR" and data["id"] == "test-new-review"
    lines = text.splitlines()
    for index, line in enumerate(lines):
        # every top-level field has a comment on the line(s) just above it
        if line and not line.startswith(("#", " ", "-")) and line != "schema_version: 1":
            assert lines[index - 1].lstrip().startswith("#"), line
    assert "key.yaml" in (case / ".gitignore").read_text(encoding="utf-8").splitlines()
    plan = (case / "action-plan.yaml").read_text(encoding="utf-8")
    assert len(yaml.safe_load(plan)["actions"]) == 1 and "# Local, Regional or National." in plan


def test_prompts_are_never_rendered(tmp_path: Path):
    case = tmp_path / "review"
    run("new", case, "--id", "test-new-review")
    result = run("build", case, "--out", tmp_path / "out", "--no-pdf")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / "test-new-review" / "report.html").read_text(encoding="utf-8")
    assert "Terms of Reference" in html
    assert load_profile().spec("terms_of_reference").prompt not in html


def test_new_on_an_existing_folder_refuses_and_changes_nothing(tmp_path: Path):
    case = tmp_path / "review"
    case.mkdir()
    (case / "report.md").write_text("# Introduction\n\nThe chair's own words.\n")
    result = run("new", case, "--id", "test-new-review")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{case}: already exists and is not empty (report.md); dhr new never overwrites: "
        "choose a new folder"]
    assert sorted(p.name for p in case.iterdir()) == ["report.md"]
    assert (case / "report.md").read_text() == "# Introduction\n\nThe chair's own words.\n"


def test_a_bad_id_is_bad_input(tmp_path: Path):
    result = run("new", tmp_path / "review", "--id", "Kent DHR 1")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "'Kent DHR 1' is not a review id: lower-case letters, digits and hyphens, 2 to 64 "
        "characters (give one with --id)"]
    assert not (tmp_path / "review").exists()
