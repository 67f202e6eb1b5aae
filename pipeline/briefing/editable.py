"""The briefing draft for editing: ``Briefing`` -> build/<id>/briefing-draft.yaml, the
``briefing:`` section with every part filled, for the officer to edit and copy back.

Takes a loaded ``Case``; writes one YAML file, never case.yaml itself.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from pipeline.briefing.compose import Briefing, compose, section_data
from pipeline.briefing.draft import DRAFT_SOURCES
from pipeline.briefing.text import blocks_text, parse_text
from pipeline.briefing.themes import settings
from pipeline.case.folder import Case

DRAFT_FILE = "briefing-draft.yaml"



def _literal(text: str, indent: str) -> str:
    wrap = textwrap.TextWrapper(width=88 - len(indent), break_long_words=False,
                                break_on_hyphens=False)
    out = []
    for block in parse_text(text):
        if block.items:
            for item in block.items:
                lines = wrap.wrap(item)
                out += [f"{indent}- {lines[0]}", *(f"{indent}  {x}" for x in lines[1:])]
        else:
            out += [f"{indent}{x}" for x in wrap.wrap(block.text)]
        out.append("")
    return "|-\n" + "\n".join(out).rstrip() + "\n"


def draft_yaml(b: Briefing) -> str:
    """The ``briefing:`` section with every part filled, for the officer to edit and copy
    into case.yaml."""
    _, data = section_data(b.case)
    lines = [
        f"# 7-minute briefing for {b.case.id}: every part, with the empty ones drafted from",
        "# the report. Check and edit it, then put it at the end of case.yaml in place of",
        f"# any 'briefing:' section there. Limit: {b.word_limit} words a part.",
        "briefing:",
    ]
    for key in ("date", "word_limit", "full_review"):
        if key in data:
            lines.append(f"  {key}: {json.dumps(data[key], ensure_ascii=False)}")
    if data.get("labels"):
        lines.append("  labels:")
        lines += [f"    {k}: {json.dumps(v, ensure_ascii=False)}"
                  for k, v in data["labels"].items()]
    for part in b.parts[:-1]:
        if not part.blocks:
            lines.append(f"  # {part.number} {part.label}: nothing to draft it from in "
                         f"{DRAFT_SOURCES[part.key]}: write it")
            lines.append(f'  {part.key}: ""')
            continue
        where = (f"drafted from {DRAFT_SOURCES[part.key]}" if part.drafted
                 else "from case.yaml")
        lines.append(f"  # {part.number} {part.label}: {where} ({part.words} word(s))")
        lines.append(f"  {part.key}: " + _literal(blocks_text(part.blocks), "    ").rstrip())
    q = b.parts[-1]
    own, chosen = b.questions[:b.own_questions], b.questions[b.own_questions:]
    lines.append(f"  # {q.number} {q.label} ({q.words} words in all): the review's own questions;"
                 " the briefing")
    lines.append("  # adds those chosen by its themes (commented out below) up to "
                 f"{settings()['questions']['max']}")
    lines.append("  questions:" + ("" if own else " []"))
    lines += [f"    - {json.dumps(x, ensure_ascii=False)}" for x in own]
    lines += [f"    # - {json.dumps(x, ensure_ascii=False)}" for x in chosen]
    how = "detected in the report" if b.themes_detected else "from case.yaml"
    lines.append(f"  # themes ({how}); the library is templates/briefing/themes.yaml")
    lines.append(f"  themes: [{', '.join(t.key for t in b.themes)}]")
    return "\n".join(lines) + "\n"



def write_draft(case: Case, out_dir: Path) -> tuple[Path, Briefing]:
    """``dhr briefing --draft``: build/<id>/briefing-draft.yaml, never over case.yaml."""
    from pipeline.common.fsutil import write_atomic
    from pipeline.report.render import parse_report

    briefing = compose(case, parse_report(case).tokens, strict=False)
    path = out_dir / DRAFT_FILE
    write_atomic(path, draft_yaml(briefing))
    return path, briefing
