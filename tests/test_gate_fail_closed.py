"""The gate fails closed: accepting one unreadable file never accepts another, a bad file
among good ones still gives a complete report in every format, names in paths are masked
and are findings, a key that would publish a real name is refused, YAML alias bombs are
refused, usage errors are exit 2. Each test fails on the gate before issue 12."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT, run

EVAL = ROOT / "tests" / "eval"
sys.path.insert(0, str(EVAL))
from artefacts import build_artefacts, hostile_top_level  # noqa: E402

EVAL_KEY = EVAL / "eval-key.example.yaml"
CLEAN = EVAL / "clean-report.md"
CLEAN_KEY = EVAL / "clean-key.example.yaml"


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory) -> dict[str, Path]:
    return {kind: path for kind, path, _ in build_artefacts(tmp_path_factory.mktemp("a"))}


def accept(tmp_path: Path, findings: list[dict]) -> Path:
    path = tmp_path / "accepted.yaml"
    path.write_text("accepted:\n" + "".join(
        f"  - fingerprint: {f['fingerprint']}\n    reason: Reviewed.\n"
        "    accepted_by: The chair\n" for f in findings), encoding="utf-8")
    return path


def findings(*args) -> tuple[int, list[dict]]:
    result = run("check", *args, "--format", "json", "--no-ner")
    return result.exit_code, json.loads(result.stdout)["findings"]


def test_accepting_one_unreadable_file_does_not_accept_another(artefacts, tmp_path):
    _, [escape] = findings(artefacts["zip-path-escape"])
    assert escape["rule"] == "unreadable"
    accepted = accept(tmp_path, [escape])
    code, found = findings(artefacts["zip-path-escape"], artefacts["zip-bomb"],
                           artefacts["zip-encrypted-pdf"], "--accepted", accepted)
    assert code == 1
    by_path = {Path(f["path"].split("!")[0]).name: f["severity"] for f in found}
    assert by_path == {"escape.zip": "accepted", "bomb.zip": "block", "enc.zip": "block"}


def test_unreadable_fingerprints_differ_by_content_and_name(tmp_path):
    files = dict(hostile_top_level(tmp_path))
    other = tmp_path / "other.pdf"
    other.write_bytes(b"<html>not a pdf either</html>")
    _, found = findings(files["fake.pdf"], other, files["encrypted.pdf"], files["corrupt.zip"])
    prints = [f["fingerprint"] for f in found if f["rule"] == "unreadable"]
    assert len(prints) == 4 and len(set(prints)) == 4


@pytest.mark.parametrize("name", ["encrypted.pdf", "corrupt.zip", "fake.pdf", "notes.unknown",
                                  "latin1.md"])
def test_a_bad_file_among_good_ones_is_a_finding_and_the_rest_is_checked(tmp_path, name):
    files = dict(hostile_top_level(tmp_path))
    leak = tmp_path / "leak.md"
    leak.write_text("# Introduction\n\nShe rang 07700 900456 on the day.\n", encoding="utf-8")
    result = run("check", CLEAN, files[name], leak, "--key", CLEAN_KEY, "--format", "json",
                 "--no-ner")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert doc["checked"] == [str(CLEAN), str(files[name]), str(leak)]
    rules = {(Path(f["path"]).name, f["rule"]) for f in doc["findings"]
             if f["severity"] == "block"}
    assert (name, "unreadable") in rules and ("leak.md", "uk-phone") in rules


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_every_format_is_complete_with_a_bad_file(tmp_path, fmt):
    files = dict(hostile_top_level(tmp_path))
    result = run("check", CLEAN, files["encrypted.pdf"], "--key", CLEAN_KEY, "--format", fmt,
                 "--no-ner")
    assert result.exit_code == 1
    out = result.stdout
    if fmt == "json":
        assert len(json.loads(out)["checked"]) == 2
    elif fmt == "sarif":
        run_ = json.loads(out)["runs"][0]
        assert [r["ruleId"] for r in run_["results"]] == ["unreadable"]
        assert len(run_["artifacts"]) == 2
    elif fmt == "junit":
        cases = ET.fromstring(out).findall(".//testcase")
        assert len(cases) == 2
        assert [c.find("failure") is not None for c in cases] == [False, True]
    elif fmt == "github":
        assert out.startswith("::error file=") and "FAIL: 1 blocking" in out
    else:
        assert out.rstrip().endswith("in 2 file(s) checked") and "encrypted.pdf" in out


def test_a_missing_path_is_still_a_usage_error(tmp_path):
    result = run("check", CLEAN, tmp_path / "missing.md", "--no-ner")
    assert result.exit_code == 2 and "not found" in result.stderr


def test_names_in_paths_and_members_are_masked_in_every_format(tmp_path, artefacts):
    named = tmp_path / "Bethany Carrow notes.txt"
    named.write_text("Nothing to see.\n", encoding="utf-8")
    for fmt in ("text", "json", "sarif", "junit", "github"):
        result = run("check", named, artefacts["zip-member-name"], "--key", EVAL_KEY,
                     "--format", fmt, "--no-ner")
        assert result.exit_code == 1
        assert "Bethany" not in result.stdout and "Carrow" not in result.stdout, fmt
        assert "bethany" not in result.stdout.lower(), fmt
        assert "B****** C***** notes.txt" in result.stdout or fmt in ("sarif", "github")
    revealed = run("check", named, "--key", EVAL_KEY, "--no-ner", "--reveal")
    assert "Bethany Carrow notes.txt" in revealed.stdout


def test_a_name_in_a_file_name_is_a_finding_without_the_key(tmp_path):
    named = tmp_path / "glenys-parfitt-interview.txt"
    named.write_text("Nothing to see.\n", encoding="utf-8")
    result = run("check", named, "--format", "json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 1, doc
    [finding] = [f for f in doc["findings"] if f["severity"] == "block"]
    assert finding["entity_type"] == "PERSON" and "file name" in finding["message"]
    assert "parfitt" not in result.stdout.lower()


def test_an_unread_member_name_is_still_checked(tmp_path):
    import zipfile

    package = tmp_path / "p.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr(zipfile.ZipInfo("../bethany-carrow.txt"), b"x")
    result = run("check", package, "--key", EVAL_KEY, "--format", "json", "--no-ner")
    rules = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    assert rules == {"unreadable", "key-name"}
    assert "carrow" not in result.stdout.lower()


# -- the key ----------------------------------------------------------------------------

KEY = """people:
  - real: "Quentin Fictional-Person"
    pseudonym: "Anna"
    role: victim
  - real: "Ursula Madeup"
    aliases: ["Ula"]
    pseudonym: "{second}"
    role: perpetrator
places:
  - real: "{place}"
    replacement: "the family home"
"""


@pytest.mark.parametrize(("second", "place", "line", "words"), [
    ("Anna", "1 Nowhere Lane", 7, "same pseudonym as entry 1 (line 3)"),
    ("anna", "1 Nowhere Lane", 7, "same pseudonym as entry 1"),
    ("Ula", "1 Nowhere Lane", 7, "its own real name or alias"),
    ("Quentin Fictional-Person", "1 Nowhere Lane", 7, "entry 1's real name or alias"),
    ("  ", "1 Nowhere Lane", 7, "'pseudonym' is empty"),
    ("Mark", " ", 10, "'real' is empty"),
], ids=["duplicate", "duplicate-case", "own-alias", "other-real-name", "empty-pseudonym",
        "empty-place"])
def test_a_key_that_would_publish_a_real_name_is_refused(tmp_path, second, place, line,
                                                         words):
    key = tmp_path / "key.yaml"
    key.write_text(KEY.format(second=second, place=place), encoding="utf-8")
    result = run("check", CLEAN, "--key", key, "--no-ner")
    assert result.exit_code == 2, result.output
    [message] = result.stderr.strip().splitlines()
    assert message.startswith(f"{key}:{line}: ") and words in message
    assert "Ursula" not in message and "Quentin" not in message


# -- YAML --------------------------------------------------------------------------------

BOMB = "".join(f"{a}: &{a} [{', '.join([f'*{b}'] * 9)}]\n"
               for b, a in zip("abcdefgh", "bcdefghi", strict=True))
BOMB = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + BOMB


@pytest.mark.parametrize("target", ["case.yaml", "key.yaml", "gate-accepted.yaml"])
def test_a_yaml_alias_bomb_is_refused(tmp_path, target):
    """Nine levels of nine aliases: 387 million strings if expanded. The old loader walked
    them; in a subprocess with a timeout so a regression fails instead of hanging."""
    case = tmp_path / "case"
    subprocess.run(["cp", "-r", str(MINIMAL), str(case)], check=True)
    if target == "case.yaml":
        (case / "case.yaml").write_text(BOMB + (MINIMAL / "case.yaml").read_text())
        args = ["validate", str(case)]
    elif target == "key.yaml":
        (tmp_path / "key.yaml").write_text(BOMB)
        args = ["check", str(CLEAN), "--no-ner", "--key", str(tmp_path / "key.yaml")]
    else:
        (tmp_path / "acc.yaml").write_text(BOMB)
        args = ["check", str(CLEAN), "--no-ner", "--accepted", str(tmp_path / "acc.yaml")]
    code = ("import sys; from pipeline.cli import main; sys.argv = ['dhr', *sys.argv[1:]]; "
            "main()")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().endswith("YAML anchors and aliases (& and *) are not allowed; "
                                        "write each value out in full")
    assert ":1: " in done.stderr


# -- usage -------------------------------------------------------------------------------

def test_out_naming_a_file_is_a_usage_error(tmp_path):
    out = tmp_path / "a-file"
    out.write_text("x")
    for command in ("build", "briefing", "package", "pseudonymise"):
        result = run(command, MINIMAL, "--out", out)
        assert result.exit_code == 2, (command, result.output)
        assert "Invalid value for '--out'" in result.stderr, command
        assert "internal error" not in result.stderr


def test_output_naming_a_folder_is_a_usage_error(tmp_path):
    result = run("check", CLEAN, "--no-ner", "--output", tmp_path)
    assert result.exit_code == 2
    assert "Invalid value for '--output'" in result.stderr


# -- a package's own manifest --------------------------------------------------------------

def _package(tmp_path: Path, manifest: bytes, page: bytes) -> Path:
    import zipfile

    path = tmp_path / "site.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", manifest)
        archive.writestr("page.txt", page)
    return path


@pytest.mark.parametrize("manifest", [b"not json {", b"[1, 2]", b'{"may_publish": "Bethany"}',
                                      b'{"may_publish": [1], "accepted_findings": "x"}'])
def test_a_manifest_dhr_did_not_write_allows_nothing(tmp_path, manifest):
    package = _package(tmp_path, manifest, b"Bethany Carrow rang the police.\n")
    result = run("check", package, "--key", EVAL_KEY, "--format", "json", "--no-ner")
    assert result.exit_code == 1, result.output
    assert "key-name" in {f["rule"] for f in json.loads(result.stdout)["findings"]}


def test_a_manifest_cannot_allow_a_name_from_the_key(tmp_path):
    manifest = json.dumps({"may_publish": ["Bethany Carrow"], "accepted_findings": []})
    package = _package(tmp_path, manifest.encode(), b"Bethany Carrow rang the police.\n")
    result = run("check", package, "--key", EVAL_KEY, "--format", "json", "--no-ner")
    assert result.exit_code == 1
    blocked = [f for f in json.loads(result.stdout)["findings"] if f["severity"] == "block"]
    assert any(f["rule"] == "key-name" and f["path"].endswith("page.txt") for f in blocked)


def test_a_manifest_cannot_accept_an_unreadable_member(tmp_path, artefacts):
    _, [bomb] = findings(artefacts["zip-bomb"])
    import zipfile

    package = tmp_path / "p.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"accepted_findings": [
            {"fingerprint": bomb["fingerprint"], "reason": "x", "accepted_by": "y"}]}))
        archive.writestr("bomb.zip", artefacts["zip-bomb"].read_bytes())
    code, found = findings(package)
    assert code == 1 and "accepted" not in {f["severity"] for f in found}


# -- a file read in an earlier check ------------------------------------------------------

def test_a_copy_read_in_a_later_check_is_found_as_if_read_fresh(tmp_path, artefacts,
                                                                 monkeypatch):
    """The packager's gate reads the set's files, then the same bytes again inside each
    package: the later check reuses what the first read, under the copy's own path, and
    finds exactly what a gate that never saw the original finds."""
    import zipfile

    from pipeline.case.key import load_key
    from pipeline.gate.engine import Gate

    pdf = next(p for p in artefacts.values() if p.suffix == ".pdf")
    draft = ROOT / "tests" / "eval" / "draft-1.md"
    package = tmp_path / "site.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("report.pdf", pdf.read_bytes())
        archive.writestr("notes.md", draft.read_bytes())

    def seen(result):
        return sorted((f.path, f.page or 0, f.line or 0, f.rule, f.text) for f in result.findings)

    import pipeline.gate.extract as extract

    reads = []
    real = extract.read_pdf
    monkeypatch.setattr(extract, "read_pdf", lambda data, *a: reads.append(1) or
                        real(data, *a))
    key = load_key(EVAL_KEY)
    gate = Gate(key, ner=False)
    gate.check([pdf, draft])
    again = gate.check([package])
    assert len(reads) == 1  # the copy was not parsed again
    fresh = Gate(key, ner=False).check([package])
    assert seen(again) == seen(fresh)
    assert any(f.path == f"{package}!notes.md" and f.blocking for f in again.findings)
