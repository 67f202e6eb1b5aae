"""`dhr check` end to end, with the real spaCy model and Presidio: exit codes, every
output format, masking, artefacts of every kind, reviewed exceptions, the example."""

from __future__ import annotations

import json
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, run

EVAL = ROOT / "tests" / "eval"
sys.path.insert(0, str(EVAL))
from artefacts import build_artefacts, hostile_top_level  # noqa: E402

DRAFT = EVAL / "draft-1.md"
EVAL_KEY = EVAL / "eval-key.example.yaml"
CLEAN = EVAL / "clean-report.md"
CLEAN_KEY = EVAL / "clean-key.example.yaml"


@pytest.fixture(scope="module")
def draft_json() -> dict:
    result = run("check", DRAFT, "--key", EVAL_KEY, "--format", "json")
    assert result.exit_code == 1
    return json.loads(result.stdout)


def test_json_has_exactly_the_documented_shape(draft_json):
    assert set(draft_json) == {"version", "findings", "checked"}
    assert draft_json["version"] == 1
    assert draft_json["checked"] == [str(DRAFT)]
    keys = {"path", "line", "page", "column", "text", "entity_type", "rule", "severity",
            "score", "message", "fingerprint"}
    for finding in draft_json["findings"]:
        assert set(finding) == keys
        assert finding["page"] is None and isinstance(finding["line"], int)
        assert finding["severity"] in ("block", "warn")


def test_output_is_masked_by_default(draft_json):
    texts = " ".join(f["text"] for f in draft_json["findings"])
    for real in ("Bethany", "Carrow", "Larkspur", "900456", "example.org"):
        assert real not in texts
    assert "B****** C*****" in texts


def test_reveal_shows_the_text_and_marks_the_report():
    result = run("check", DRAFT, "--key", EVAL_KEY, "--format", "json", "--reveal")
    doc = json.loads(result.stdout)
    assert any(f["text"] == "Bethany Carrow" for f in doc["findings"])
    assert "dhr-check-revealed-output" in doc["notice"]


def test_text_format(tmp_path):
    result = run("check", DRAFT, "--key", EVAL_KEY)
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{DRAFT}:1:")
    assert " block " in first or " warn " in first
    assert result.stdout.rstrip().splitlines()[-1].startswith("FAIL: ")


def test_sarif_format():
    doc = json.loads(run("check", DRAFT, "--key", EVAL_KEY, "--format", "sarif").stdout)
    assert doc["version"] == "2.1.0"
    run_ = doc["runs"][0]
    assert run_["tool"]["driver"]["name"] == "dhr check"
    result = run_["results"][0]
    assert result["level"] in ("error", "warning")
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
    assert result["partialFingerprints"]
    rule_ids = {r["id"] for r in run_["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in run_["results"]} <= rule_ids
    assert "Bethany" not in json.dumps(doc)


def test_junit_format_has_one_case_per_checked_file(tmp_path):
    out = tmp_path / "gate.xml"
    result = run("check", DRAFT, CLEAN, "--key", CLEAN_KEY, "--format", "junit",
                 "--output", out)
    assert result.exit_code == 1
    assert result.stderr.startswith("FAIL")
    tree = ET.parse(out)
    cases = tree.findall(".//testcase")
    assert sorted(c.get("name") for c in cases) == sorted([str(DRAFT), str(CLEAN)])
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    assert failed == [str(DRAFT)]
    assert "900456" not in out.read_text()


def test_github_format():
    lines = run("check", DRAFT, "--key", EVAL_KEY, "--format", "github").stdout.splitlines()
    assert lines[0].startswith(f"::error file={DRAFT},line=1,col=") or \
        lines[0].startswith(f"::warning file={DRAFT},line=1")
    assert any(line.startswith("::error ") and "title=key-name" in line for line in lines)


def test_clean_report_passes():
    result = run("check", CLEAN, "--key", CLEAN_KEY)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("PASS: 0 blocking")


def test_without_a_key_patterns_and_ner_still_run():
    result = run("check", DRAFT, "--format", "json")
    rules = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    assert {"nhs-number", "email", "uk-phone"} <= rules
    assert not any(r.startswith("key-") for r in rules)


def test_key_from_environment(monkeypatch):
    monkeypatch.setenv("DHR_KEY", str(EVAL_KEY))
    doc = json.loads(run("check", DRAFT, "--format", "json").stdout)
    assert any(f["rule"] == "key-name" for f in doc["findings"])


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory):
    return build_artefacts(tmp_path_factory.mktemp("artefacts"))


def test_every_leaking_artefact_is_caught(artefacts):
    paths = [p for _, p, _ in artefacts]
    result = run("check", *paths, "--key", EVAL_KEY, "--format", "json", "--no-ner")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    for kind, path, rule in artefacts:
        mine = [f for f in findings if f["path"].startswith(str(path)) and f["rule"] == rule
                and f["severity"] == "block"]
        assert mine, f"{kind}: no blocking {rule} finding"


def test_where_a_finding_was_is_said(artefacts):
    by_kind = {kind: path for kind, path, _ in artefacts}
    doc = json.loads(run("check", by_kind["pdf-metadata"], by_kind["pdf-bookmark"],
                         by_kind["html-alt"], by_kind["zip-member-name"], "--key", EVAL_KEY,
                         "--format", "json", "--no-ner").stdout)
    messages = " | ".join(f["message"] for f in doc["findings"])
    for where in ("PDF metadata /Author", "PDF bookmark", "attribute alt of <img>",
                  "file name"):
        assert where in messages


def test_pdf_findings_carry_the_page(artefacts):
    path = next(p for kind, p, _ in artefacts if kind == "pdf-white-text")
    doc = json.loads(run("check", path, "--key", EVAL_KEY, "--format", "json",
                         "--no-ner").stdout)
    [finding] = [f for f in doc["findings"] if f["rule"] == "key-name"]
    assert finding["page"] == 1 and finding["line"] is None


@pytest.mark.parametrize("name", ["encrypted.pdf", "corrupt.zip", "fake.pdf", "notes.unknown",
                                  "latin1.md"])
def test_unreadable_top_level_input_blocks_with_a_complete_report(tmp_path, name):
    """An unreadable file is a blocking finding (exit 1), not a usage error: the report
    is still complete, so CI can read it."""
    files = dict(hostile_top_level(tmp_path))
    result = run("check", files[name], "--no-ner")
    assert result.exit_code == 1, result.output
    [line, verdict] = result.stdout.strip().splitlines()
    assert line.startswith(f"{files[name]}: block unreadable ")
    assert verdict.startswith("FAIL: 1 blocking")
    assert "Traceback" not in result.output


def test_missing_key_file_is_exit_2(tmp_path):
    result = run("check", CLEAN, "--key", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert "key file not found" in result.stderr


def test_missing_path_is_exit_2(tmp_path):
    result = run("check", tmp_path / "missing.md")
    assert result.exit_code == 2
    assert "not found" in result.stderr


def test_reviewed_exception_is_reported_not_hidden(tmp_path):
    draft = tmp_path / "d.md"
    draft.write_text("# Introduction\n\nShe rang 07700 900456 on the day.\n", encoding="utf-8")
    first = json.loads(run("check", draft, "--format", "json", "--no-ner").stdout)
    [finding] = first["findings"]
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text(f"accepted:\n  - fingerprint: {finding['fingerprint']}\n"
                        "    reason: A public line.\n    accepted_by: The chair\n")
    result = run("check", draft, "--format", "json", "--no-ner", "--accepted", accepted)
    assert result.exit_code == 0
    [again] = json.loads(result.stdout)["findings"]
    assert again["severity"] == "accepted" and "A public line." in again["message"]


def test_bad_accepted_file_is_exit_2(tmp_path):
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text("accepted:\n  - fingerprint: abc\n")
    result = run("check", CLEAN, "--no-ner", "--accepted", accepted)
    assert result.exit_code == 2
    assert f"{accepted}:2:" in result.stderr and "reason" in result.stderr


def test_output_file_written_atomically(tmp_path):
    out = tmp_path / "report.sarif"
    run("check", CLEAN, "--key", CLEAN_KEY, "--format", "sarif", "--output", out)
    assert json.loads(out.read_text())["version"] == "2.1.0"
    assert [p.name for p in tmp_path.iterdir()] == ["report.sarif"]


def test_example_review_and_its_rendered_outputs_pass(example_build):
    result = run("check", EXAMPLE, example_build, "--key", EXAMPLE / "key.example.yaml",
                 "--case", EXAMPLE)
    assert result.exit_code == 0, result.stdout[-3000:]
    assert "report.pdf" in result.stdout or "report.pdf" in " ".join(
        json.loads(run("check", example_build, "--format", "json", "--no-ner", "--case",
                       EXAMPLE).stdout)["checked"])


def test_planted_name_in_rendered_output_is_caught(example_build, tmp_path):
    """A real name that reaches the rendered HTML and PDF is caught there."""
    case = tmp_path / "case"
    shutil.copytree(EXAMPLE, case)
    report = case / "report.md"
    report.write_text(report.read_text().replace("# Timescales\n",
                      "# Timescales\n\nSarah Whitfield's GP was consulted.\n", 1))
    out = tmp_path / "out"
    assert run("build", case, "--out", out).exit_code == 0
    doc = json.loads(run("check", out / "example-dhr-anna", "--key",
                         EXAMPLE / "key.example.yaml", "--case", case, "--format",
                         "json").stdout)
    hits = {(Path(f["path"]).name, f["rule"]) for f in doc["findings"]
            if f["severity"] == "block"}
    assert ("report.html", "key-name") in hits and ("report.pdf", "key-name") in hits


def test_recheck_after_one_edit_reanalyses_one_paragraph(tmp_path):
    from pipeline.gate.engine import Gate
    from pipeline.gate.ner import NerCache

    text = CLEAN.read_text(encoding="utf-8")
    draft = tmp_path / "r.md"
    draft.write_text(text, encoding="utf-8")
    cache = NerCache(tmp_path / "ner.json")
    Gate(None, ner_cache=cache).check([draft])
    cache.save()
    size = len(cache.data)
    draft.write_text(text.replace("Arthur", "Arthur himself", 1), encoding="utf-8")
    cache = NerCache(tmp_path / "ner.json")
    Gate(None, ner_cache=cache).check([draft])
    assert len(cache.data) == size + 1
    assert "Arthur" not in (tmp_path / "ner.json").read_text(), "the cache must hold no text"
