"""Callout blocks (``::: tribute`` ... ``:::``), as mdit-py-plugins containers.

A tribute holds the family's words about the victim (the preface); a note is an aside.
The guard rule refuses any other ``:::`` kind, so a typo is not printed as text.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin

CALLOUT_KINDS = {
    "tribute": "In the family's words",
    "note": "Note",
}


def callouts_plugin(md: MarkdownIt) -> None:
    for kind, label in CALLOUT_KINDS.items():
        md.use(container_plugin, kind, render=_renderer(kind, label))


def _renderer(kind: str, label: str):
    def render(self, tokens, idx, _options, _env):
        if tokens[idx].nesting == 1:
            return (
                f'<aside class="callout callout-{kind}" aria-label="{label}">\n'
                f'<p class="callout-label">{label}</p>\n'
            )
        return "</aside>\n"

    return render
