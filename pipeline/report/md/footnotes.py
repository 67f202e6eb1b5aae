"""Footnotes in two forms: notes at the foot of the PDF page, linked notes on the web.

mdit-py-plugins parses ``[^1]`` references and definitions. For print (``env["media"] ==
"print"``) each reference is rendered as the footnote's own text in a
``<span class="footnote">`` that WeasyPrint floats to the foot of the page, and the
caller renders ``without_notes_list(tokens)``. On the web the notes stay a list at the
end, each linked both ways, under a "Notes" heading.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token


def footnotes_media_plugin(md: MarkdownIt) -> None:
    default_ref = md.renderer.rules["footnote_ref"]
    default_anchor = md.renderer.rules["footnote_anchor"]

    def ref(self, tokens, idx, options, env):
        if env.get("no_footnotes"):  # text reused elsewhere (the executive summary)
            return ""
        if env.get("media") == "print":
            body = env["footnote_bodies"][tokens[idx].meta["id"]]
            return f'<span class="footnote">{body}</span>'
        return default_ref(tokens, idx, options, env)

    def block_open(self, tokens, idx, options, env):
        return (
            '<section class="footnotes" aria-labelledby="notes-heading">\n'
            '<h2 id="notes-heading">Notes</h2>\n<ol class="footnotes-list">\n'
        )

    def block_close(self, tokens, idx, options, env):
        return "</ol>\n</section>\n"

    def anchor(self, tokens, idx, options, env):
        # The default back link is a bare arrow; give it words for screen readers.
        html = default_anchor(tokens, idx, options, env)
        number = tokens[idx].meta["id"] + 1
        return html.replace('class="footnote-backref"',
                            f'class="footnote-backref" aria-label="Back to note {number}"')

    md.add_render_rule("footnote_ref", ref)
    md.add_render_rule("footnote_block_open", block_open)
    md.add_render_rule("footnote_block_close", block_close)
    md.add_render_rule("footnote_anchor", anchor)


def without_notes_list(tokens: list[Token]) -> list[Token]:
    """The tokens before the notes list: print has each note at its call instead."""
    for index, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            return tokens[:index]
    return tokens


def footnote_bodies(md: MarkdownIt, tokens: list[Token], env: dict) -> dict[int, str]:
    """Each footnote's text rendered inline (paragraph tags removed), by footnote id."""
    bodies: dict[int, str] = {}
    current: int | None = None
    inner: list[Token] = []
    for token in tokens:
        if token.type == "footnote_open":
            current, inner = token.meta["id"], []
        elif token.type == "footnote_close" and current is not None:
            html = md.renderer.render(
                [t for t in inner if t.type not in ("paragraph_open", "paragraph_close")],
                md.options, env,
            )
            bodies[current] = html.strip()
            current = None
        elif current is not None and token.type != "footnote_anchor":
            inner.append(token)
    return bodies
