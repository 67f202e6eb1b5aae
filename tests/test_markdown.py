"""Golden fixtures for the report's Markdown plugins.

Each ``tests/golden/NAME.md`` is rendered for the web (``NAME.print.md`` for print) and
compared with ``NAME.html``, which a person can read and review. Set
``DHR_UPDATE_GOLDEN=1`` to rewrite them after an intended change, then read the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.report.md import footnote_bodies, make_parser, without_notes_list
from pipeline.report.render import catalogue

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*.md"))


def render(source: str, media: str) -> str:
    md = make_parser(catalogue())
    tokens = md.parse(source, {})
    env = {"media": media, "inserts": {}}
    env["footnote_bodies"] = footnote_bodies(md, tokens, env)
    if media == "print":
        tokens = without_notes_list(tokens)
    return md.renderer.render(tokens, md.options, env)


@pytest.mark.parametrize("source", CASES, ids=[c.stem for c in CASES])
def test_golden(source: Path):
    media = "print" if source.stem.endswith(".print") else "web"
    html = render(source.read_text(encoding="utf-8"), media)
    expected = source.with_suffix(".html")
    if os.environ.get("DHR_UPDATE_GOLDEN"):
        expected.write_text(html, encoding="utf-8")
    assert html == expected.read_text(encoding="utf-8")
