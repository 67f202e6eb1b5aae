"""The gate's reports: text, JSON, SARIF 2.1.0, JUnit XML and GitHub annotations.

Takes a ``GateResult``; produces the report as a string. Every format masks the text it
found (``S**** W*******``, ``943 *** ****``) so CI logs and uploaded reports never leak;
``reveal=True`` shows it for local use, and marks the report so the gate refuses to let
it be published.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from xml.sax.saxutils import escape, quoteattr

from pipeline import __version__
from pipeline.gate.engine import Finding, GateResult
from pipeline.gate.extract import REVEAL_MARKER
from pipeline.gate.names import common_words, fold

FORMATS = ("text", "json", "sarif", "junit", "github")


def mask(text: str) -> str:
    """Keep the first letter of each word and the first group of digits, star the rest."""
    out, first_number = [], True
    for token in re.split(r"(\s+)", text):
        if not token or token.isspace():
            out.append(token)
            continue
        if any(c.isdigit() for c in token) and not any(c.isalpha() for c in token):
            keep = min(3, len(token) - 1) if first_number else 0
            first_number = False
        else:
            keep = 1
        chars, kept = [], 0
        for char in token:
            if char.isalnum():
                chars.append(char if kept < keep else "*")
                kept += 1
            else:
                chars.append(char)
        out.append("".join(chars))
    return "".join(out)


class PathMask:
    """Masks, in paths, file and member names and messages, every word the gate found
    anywhere in the result: a file named after a person must not print that person's name
    in a CI log. ``--reveal`` shows them."""

    def __init__(self, result: GateResult, reveal: bool):
        self.words: set[str] = set()
        if not reveal:
            for f in result.findings:
                words = {w for w in re.findall(r"[^\W_]+", fold(f.text).casefold())
                         if len(w) >= 2}
                if not f.rule.startswith("key-"):
                    # "briefing draft", taken for a name, need not hide the file name;
                    # a name from the key is hidden even when it is also a word.
                    words = {w for w in words if w not in common_words()}
                self.words |= words

    def __call__(self, value: str) -> str:
        if not self.words:
            return value
        return re.sub(r"[^\W_]+", lambda m: mask(m.group()) if fold(m.group()).casefold()
                      in self.words else m.group(), value)


def _masked(result: GateResult, reveal: bool) -> tuple[GateResult, PathMask]:
    """The result with every path and message masked (findings are copies)."""
    hide = PathMask(result, reveal)
    findings = [replace(f, path=hide(f.path), message=hide(f.message),
                        fixed_fingerprint=f.fingerprint) for f in result.findings]
    return GateResult(findings, [hide(p) for p in result.checked]), hide


def _shown(finding: Finding, reveal: bool) -> str:
    return finding.text if reveal else mask(finding.text)


def _severity(finding: Finding) -> str:
    return "accepted" if finding.accepted else finding.severity


def _message(finding: Finding) -> str:
    message = finding.message
    if finding.accepted:
        message += (f" [accepted by {finding.accepted['accepted_by']}: "
                    f"{finding.accepted['reason']}]")
    return message


def render(result: GateResult, fmt: str, reveal: bool = False) -> str:
    result, _ = _masked(result, reveal)
    return {"text": text, "json": as_json, "sarif": sarif, "junit": junit,
            "github": github}[fmt](result, reveal)


def summary(result: GateResult) -> str:
    blocking = len(result.blocking)
    warnings = sum(1 for f in result.findings if f.severity == "warn" and not f.accepted)
    accepted = sum(1 for f in result.findings if f.accepted)
    verdict = "FAIL" if blocking else "PASS"
    return (f"{verdict}: {blocking} blocking, {warnings} warning(s), {accepted} accepted, "
            f"in {len(result.checked)} file(s) checked")


def _where(f: Finding) -> str:
    if f.line is not None:
        return f"{f.path}:{f.line}:{f.column or 1}"
    if f.page is not None:
        return f"{f.path}:page {f.page}"
    return f.path


def text(result: GateResult, reveal: bool) -> str:
    lines = []
    if reveal:
        lines.append(f"# {REVEAL_MARKER}: this report shows identifying text; never publish it")
    for f in result.findings:
        shown = _shown(f, reveal)
        lines.append(f"{_where(f)}: {_severity(f)} {f.rule} {_message(f)}"
                     + (f" \"{shown}\"" if shown else "") + f" [{f.fingerprint}]")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def as_json(result: GateResult, reveal: bool) -> str:
    doc: dict = {
        "version": 1,
        "findings": [
            {"path": f.path, "line": f.line, "page": f.page, "column": f.column,
             "text": _shown(f, reveal), "entity_type": f.entity_type, "rule": f.rule,
             "severity": _severity(f), "score": f.score, "message": _message(f),
             "fingerprint": f.fingerprint}
            for f in result.findings
        ],
        "checked": result.checked,
    }
    if reveal:
        doc["notice"] = f"{REVEAL_MARKER}: shows identifying text; never publish"
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def sarif(result: GateResult, reveal: bool) -> str:
    rules = sorted({f.rule for f in result.findings})
    results = []
    for f in result.findings:
        region: dict = {}
        if f.line is not None:
            region = {"startLine": f.line, "startColumn": f.column or 1}
        location: dict = {"physicalLocation": {"artifactLocation": {
            "uri": f.path.split("!")[0]}}}
        if region:
            location["physicalLocation"]["region"] = region
        if "!" in f.path or f.page:
            location["logicalLocations"] = [{"fullyQualifiedName": f.path
                                             + (f"#page={f.page}" if f.page else "")}]
        entry = {
            "ruleId": f.rule,
            "level": "error" if f.severity == "block" else "warning",
            "message": {"text": f"{f.message}: {_shown(f, reveal)}" if f.text else f.message},
            "locations": [location],
            "partialFingerprints": {"dhrFingerprint/v1": f.fingerprint},
            "properties": {"entity_type": f.entity_type, "score": f.score, "page": f.page,
                           "where": f.where, "explanation": _explain(f, reveal)},
        }
        if f.accepted:
            entry["suppressions"] = [{"kind": "external", "status": "accepted",
                                      "justification": f"{f.accepted['reason']} "
                                                       f"({f.accepted['accepted_by']})"}]
        results.append(entry)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "dhr check", "version": __version__,
                                "informationUri": "https://www.gov.uk/government/publications/"
                                                  "revised-statutory-guidance-for-the-conduct-"
                                                  "of-domestic-homicide-reviews",
                                "rules": [{"id": r, "shortDescription": {"text": r}}
                                          for r in rules]}},
            "results": results,
            "artifacts": [{"location": {"uri": p}} for p in result.checked],
        }],
    }
    if reveal:
        doc["runs"][0]["properties"] = {"notice": REVEAL_MARKER}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _explain(f: Finding, reveal: bool) -> dict:
    explanation = dict(f.explanation)
    if not reveal:
        explanation.pop("replace_with", None)
    return explanation


def junit(result: GateResult, reveal: bool) -> str:
    by_path: dict[str, list[Finding]] = {p: [] for p in result.checked}
    for f in result.findings:
        by_path.setdefault(f.path, []).append(f)
    failures = sum(1 for fs in by_path.values() if any(f.blocking for f in fs))
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    if reveal:
        out.append(f"<!-- {REVEAL_MARKER} -->")
    out.append(f'<testsuites name="dhr check" tests="{len(by_path)}" failures="{failures}">')
    out.append(f'<testsuite name="redaction gate" tests="{len(by_path)}" '
               f'failures="{failures}" errors="0" skipped="0">')
    for path, found in by_path.items():
        out.append(f'<testcase classname="dhr.check" name={quoteattr(path)}>')
        blocking = [f for f in found if f.blocking]
        if blocking:
            body = "\n".join(f"{_where(f)}: {f.rule} {_message(f)} {_shown(f, reveal)}"
                             for f in blocking)
            out.append(f'<failure type="identifying-detail" '
                       f'message={quoteattr(f"{len(blocking)} blocking finding(s)")}>'
                       f"{escape(body)}</failure>")
        others = [f for f in found if not f.blocking]
        if others:
            body = "\n".join(f"{_where(f)}: {_severity(f)} {f.rule} {_message(f)} "
                             f"{_shown(f, reveal)}" for f in others)
            out.append(f"<system-out>{escape(body)}</system-out>")
        out.append("</testcase>")
    out.append("</testsuite>\n</testsuites>")
    return "\n".join(out) + "\n"


def _gh(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github(result: GateResult, reveal: bool) -> str:
    lines = []
    if reveal:
        lines.append(f"::warning::{REVEAL_MARKER}")
    for f in result.findings:
        level = "notice" if f.accepted else ("error" if f.severity == "block" else "warning")
        props = [f"file={_gh(f.path, True)}"]
        if f.line is not None:
            props.append(f"line={f.line}")
            if f.column:
                props.append(f"col={f.column}")
        props.append(f"title={_gh(f.rule, True)}")
        shown = _shown(f, reveal)
        where = f" (page {f.page})" if f.page else ""
        lines.append(f"::{level} {','.join(props)}::{_gh(_message(f) + where)}"
                     + (_gh(f': "{shown}"') if shown else ""))
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
