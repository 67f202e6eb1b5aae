"""Pseudonym markers: ``[[Anna]]`` and ``[[Anna|Mrs Whitfield]]``.

A chair resolves an ambiguous name in the source by writing the pseudonym it stands for
in double brackets (optionally keeping the original words after a bar, for their own
reading). The pseudonymiser turns markers into the pseudonym; this inline rule does the
same when a source already written with pseudonyms is rendered directly, so a marker is
never printed as brackets.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from pipeline.case.markers import MARKER


def pseudonyms_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "dhr_pseudonym", _marker)
    md.add_render_rule("dhr_pseudonym", _render)


def _marker(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    match = MARKER.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("dhr_pseudonym", "", 0)
        token.content = match.group(1).strip()
    state.pos = match.end()
    return True


def _render(self, tokens, idx, _options, _env) -> str:
    from markdown_it.common.utils import escapeHtml

    return escapeHtml(tokens[idx].content)
