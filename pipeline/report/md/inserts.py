"""Insert lines: a paragraph that is only ``@[name]`` marks where a generated table goes.

The block rule ``dhr_insert`` turns such a line into a ``dhr_insert`` token with
``meta["name"]``; the renderer fills it from case.yaml (``env["inserts"][name]``).
Unknown names are refused with their line.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from .errors import MarkdownError

INSERT_NAMES = ("pseudonyms", "panel", "contributors")
_INSERT = re.compile(r"^@\[([A-Za-z0-9_-]+)\]\s*$")


def inserts_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before(
        "paragraph", "dhr_insert", _insert_block, {"alt": ["paragraph"]}
    )
    md.add_render_rule("dhr_insert", _render_insert)


def _insert_block(state: StateBlock, start: int, _end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start] + state.tShift[start]
    line = state.src[begin : state.eMarks[start]]
    match = _INSERT.match(line)
    if not match:
        return False
    name = match.group(1)
    if name not in INSERT_NAMES:
        raise MarkdownError(
            start + 1, f"unknown insert '@[{name}]'; use one of: {', '.join(INSERT_NAMES)}"
        )
    if silent:
        return True
    token = state.push("dhr_insert", "", 0)
    token.meta = {"name": name}
    token.map = [start, start + 1]
    state.line = start + 1
    return True


def _render_insert(self, tokens, idx, _options, env) -> str:
    name = tokens[idx].meta["name"]
    return env["inserts"][name]()
