"""The guard rule: refuse Markdown the renderer would drop or mangle.

Raw HTML is refused (HTML comments are chair's notes: allowed, never rendered), as are
headings deeper than ``###``, unknown ``:::`` callouts and images without alt text.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from .callouts import CALLOUT_KINDS
from .errors import MarkdownError, line_of

_COMMENT = re.compile(r"^\s*<!--.*?-->\s*$", re.S)
MAX_HEADING = 3


def guard_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("dhr_guard", _guard)
    md.add_render_rule("html_block", _render_comment)
    md.add_render_rule("html_inline", _render_comment)


def _guard(state: StateCore) -> None:
    for token in state.tokens:
        line = line_of(token)
        if token.type == "html_block" and not _COMMENT.match(token.content):
            raise MarkdownError(line, "raw HTML is not supported in the report; use Markdown")
        if token.type == "heading_open" and int(token.tag[1]) > MAX_HEADING:
            raise MarkdownError(
                line, f"heading level {token.tag[1]} is too deep; use #, ## or ### only"
            )
        if token.type == "paragraph_open":
            continue
        if token.type == "inline":
            if token.content.startswith(":::"):
                kind = token.content[3:].strip().split()[0] if token.content[3:].strip() else ""
                raise MarkdownError(
                    line,
                    f"unknown or unclosed callout '::: {kind}'; use one of: "
                    f"{', '.join([*CALLOUT_KINDS, 'summary'])} and close it with ':::'",
                )
            for child in token.children or []:
                if child.type == "html_inline" and not _COMMENT.match(child.content):
                    raise MarkdownError(
                        line, f"raw HTML '{child.content}' is not supported; use Markdown"
                    )


def _render_comment(self, tokens, idx, _options, _env) -> str:
    # Only comments get past the guard; they are the chair's notes and never published.
    return ""
