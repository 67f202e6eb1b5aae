"""The pseudonymiser: every variant replaced in the right form, ambiguity reported,
idempotent, and a round trip on the example review."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, MINIMAL, run
from test_gate_rules import KEY

from pipeline.case.key import Key, KeyPerson, Replacement, load_key
from pipeline.pseudonymise.replace import Pseudonymiser

WORKER = Pseudonymiser(KEY)
PRO_KEY = Key(path=Path("k.yaml"), people=[
    KeyPerson("Dr Priya Testwood", "the GP", "professional", ("Dr Testwood",)),
    KeyPerson("Sarah Jane Whitfield", "Anna", "victim", ("Sally",)),
], places=[Replacement("14 Acacia Road, Exampleton ZZ99 9ZZ", "the family home")])

REPLACED = [
    ("Sarah Whitfield called.", "Anna called."),
    ("It was Sarah's house.", "It was Anna's house."),
    ("It was Sarah’s house.", "It was Anna’s house."),
    ("SARAH WHITFIELD called.", "ANNA called."),
    ("Later SARAH called.", "Later ANNA called."),
    ("WHITFIELD, Sarah Jane, born here.", "Anna, born here."),
    ("signed S.J.W. today", "signed Anna today"),
    ("by S. Whitfield", "by Anna"),
    ("known as Sally", "known as Anna"),
    ("her friend Zoe Brennan", "her friend Nadia"),
    ("her friend Zoë", "her friend Nadia"),
    ("met Sarah\nWhitfield there", "met Anna there"),
    ("PC 4521 Quillfeather attended.", "Police Officer 1 attended."),
    ("Gaz's van", "Mark's van"),
    ("at Brightwater Haulage Ltd.", "at Mark's employer."),
    ("we will hope for the best", "we will hope for the best"),
    ("Later Will Hope visited.", "Later Peter visited."),
    ("the approval was given", "the approval was given"),
    ("[[Anna|Mrs Whitfield]] spoke.", "Anna spoke."),
    ("[[Anna]] spoke.", "Anna spoke."),
    ("![Sarah at the beach](beach.png)", "![Anna at the beach](beach.png)"),
    ("<!-- ask Sarah -->", "<!-- ask Anna -->"),
    ("| 2021 | Kent Police | Sarah called. |", "| 2021 | Kent Police | Anna called. |"),
    ("[Sarah's statement](statement.pdf)", "[Anna's statement](statement.pdf)"),
]


@pytest.mark.parametrize(("source", "expected"), REPLACED, ids=[r[0] for r in REPLACED])
def test_replacement(source, expected):
    result = WORKER.text(source)
    assert not result.unresolved, result.unresolved
    assert result.text == expected


@pytest.mark.parametrize(("source", "expected"), [
    ("14 Acacia Road, Exampleton ZZ99 9ZZ was sold.", "The family home was sold."),
    ("She left 14 Acacia Road in May.", "She left the family home in May."),
    ("Dr Testwood saw her. Later Dr Testwood's notes.", "The GP saw her. Later the GP's notes."),
    ("Sally said the GP agreed.", "Anna said the GP agreed."),
])
def test_sentence_case_and_roles(source, expected):
    result = Pseudonymiser(PRO_KEY).text(source)
    assert result.text == expected


def test_titles_kept_when_the_review_says_so():
    assert Pseudonymiser(KEY, titles="keep").text("Ms Brennan rang.").text == "Ms Nadia rang."


@pytest.mark.parametrize(("source", "why"), [
    ("Later Mrs Whitfield called.", "fits more than one person"),
    ("Later Whitfield called.", "fits more than one person"),
    ("Mr and Mrs Whitfield came.", "fits more than one person"),
    ("The Brennans came.", "family name in the plural"),
    ("Will you come?", "ordinary word at the start of a sentence"),
    ("[link](https://example.org/sarah-whitfield)", "inside a link target"),
    ("![photo](images/sarah.png)", "inside a link target or file name"),
    ("[[Annie]] spoke.", "names no pseudonym"),
])
def test_ambiguity_is_reported_not_guessed(source, why):
    result = WORKER.text("Intro line.\n" + source, first_line=1)
    assert result.unresolved, result.text
    line, message = result.unresolved[0]
    assert line == 2 and why in message
    assert "Whitfield" not in message and "sarah" not in message.casefold()


def test_idempotent():
    text = "Sarah Whitfield's son; Gaz; at Brightwater Haulage Ltd. SARAH."
    once = WORKER.text(text).text
    twice = WORKER.text(once)
    assert twice.text == once and not twice.changes


def test_pseudonymised_source_passes_through_unchanged():
    text = (EXAMPLE / "report.md").read_text(encoding="utf-8")
    worker = Pseudonymiser(load_key(EXAMPLE / "key.example.yaml"))
    result = worker.text(text)
    assert result.text == text and not result.changes and not result.unresolved


# -- the example review, written with real names ----------------------------------------

REAL = {"Anna": "Sarah", "Mark": "Gareth", "Leo": "Ollie", "Ruth": "Maggie", "Jess": "Kirsty"}


def real_names_draft(tmp_path: Path) -> Path:
    """The example review as an early draft: real (invented) names in every position,
    first mentions in full, some possessives and capitals."""
    case = tmp_path / "draft"
    shutil.copytree(EXAMPLE, case)
    report = case / "report.md"
    text = report.read_text(encoding="utf-8")
    seen: set[str] = set()

    def back(match: re.Match) -> str:
        name = match.group(0)
        if name == "Anna" and name not in seen:
            seen.add(name)
            return "Sarah Jane Whitfield"
        seen.add(name)
        return REAL[name]

    text = re.sub(r"\b(?:Anna|Mark|Leo|Ruth|Jess)\b", back, text)
    report.write_text(text, encoding="utf-8")
    return case


def test_round_trip_on_the_example(tmp_path):
    case = real_names_draft(tmp_path)
    assert "Sarah Jane Whitfield" in (case / "report.md").read_text()
    out = tmp_path / "build"
    result = run("pseudonymise", case, "--key", EXAMPLE / "key.example.yaml", "--out", out)
    assert result.exit_code == 0, result.output
    assert "the redaction gate found nothing blocking" in result.stdout
    produced = (out / "example-dhr-anna" / "source" / "report.md").read_text(encoding="utf-8")
    assert produced == (EXAMPLE / "report.md").read_text(encoding="utf-8")
    log = (out / "example-dhr-anna" / "pseudonymise-log.txt").read_text(encoding="utf-8")
    assert re.search(r"report\.md:\d+: full: \"S\*{4} J\*{3} W\*{8}'\*\" -> \"Anna's\"", log)
    assert "Anna: " in log and "total: " in log
    # the key is never copied into build/, and no real name is left there
    for path in out.rglob("*"):
        if path.is_file() and path.suffix != ".json":
            content = path.read_text(encoding="utf-8", errors="replace")
            for real in ("Sarah", "Whitfield", "Gareth", "Ollie", "Maggie", "Kirsty"):
                assert real not in content, f"{real} in {path}"


def test_build_with_key_renders_the_pseudonymised_text(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(MINIMAL, case)
    report = case / "report.md"
    report.write_text(report.read_text().replace(
        "# Timescales\n",
        "# Timescales\n\n## About Sarah Whitfield\n\nSarah's sister rang.[^2]\n\n"
        "| When | Who |\n| --- | --- |\n| 2029 | [Sarah](https://example.org/about) |\n\n"
        "[^2]: Told to the chair by Sarah's sister.\n", 1))
    key = tmp_path / "key.yaml"
    key.write_text('people:\n  - real: "Sarah Whitfield"\n    pseudonym: "Zoe"\n'
                   "    role: victim\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", case, "--key", key, "--out", out, "--no-pdf")
    assert result.exit_code == 0, result.output
    html = (out / "test-minimal" / "report.html").read_text(encoding="utf-8")
    assert "About Zoe" in html and "Zoe's sister" in html and "Sarah" not in html
    check = run("check", out / "test-minimal" / "report.html", "--key", key, "--case", case)
    assert check.exit_code == 0, check.stdout


def test_ambiguity_fails_the_build_with_file_and_line(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(MINIMAL, case)
    report = case / "report.md"
    report.write_text(report.read_text().replace("An overview.", "Mrs Whitfield spoke."))
    key = tmp_path / "key.yaml"
    key.write_text('people:\n  - {real: "Sarah Whitfield", pseudonym: Zoe, role: victim}\n'
                   '  - {real: "Gareth Whitfield", pseudonym: Yann, role: perpetrator}\n')
    result = run("build", case, "--key", key, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert f"{report}:72: ambiguous: \"M** W********\" fits more than one" in result.stderr
    assert not (tmp_path / "out" / "test-minimal" / "report.html").exists()
    assert "Whitfield" not in result.output


def test_code_blocks_and_front_matter_are_replaced_too():
    source = "---\nauthor: Sarah Whitfield\n---\n\n```\nlog: Sarah rang\n```\n"
    assert WORKER.text(source).text == "---\nauthor: Anna\n---\n\n```\nlog: Anna rang\n```\n"


def test_key_errors_never_repeat_the_key(tmp_path):
    key = tmp_path / "key.yaml"
    key.write_text('people:\n  - real: "Sarah Whitfield"\n    aliases: "Sally"\n'
                   '    pseudonym: Anna\n    role: victum\n', encoding="utf-8")
    result = run("check", EXAMPLE / "report.md", "--key", key, "--no-ner")
    assert result.exit_code == 2
    assert f"{key}:3:" in result.stderr and f"{key}:5:" in result.stderr
    assert "Sally" not in result.stderr and "victum" not in result.stderr


def test_a_leak_the_key_missed_stops_the_build_before_anything_is_written(tmp_path):
    """The renders start while the gate reads the pseudonymised source, but nothing made
    from it is written until the gate has passed: no HTML, no PDF, no form."""
    case = tmp_path / "case"
    shutil.copytree(MINIMAL, case)
    report = case / "report.md"
    report.write_text(report.read_text().replace(
        "An overview.", "An overview. Sarah Whitfield's mobile was 07700 900123."))
    key = tmp_path / "key.yaml"
    key.write_text('people:\n  - {real: "Sarah Whitfield", pseudonym: Zoe, role: victim}\n',
                   encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", case, "--key", key, "--out", out)
    assert result.exit_code == 1, result.output
    assert "phone" in result.stderr and "900123" not in result.output
    built = out / "test-minimal"
    assert (built / "source" / "report.md").is_file()  # what the gate read
    written = [p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()]
    assert not [p for p in written if p.endswith((".html", ".pdf", ".csv", ".json"))
                and not p.startswith(".")], written
