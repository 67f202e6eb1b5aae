"""Sections and numbering: the report's level-1 headings, paragraphs numbered as reports are.

Rule ``dhr_sections`` matches every ``#`` heading to the section catalogue (a structure
profile in ``templates/report/structures/``, plus the headings case.yaml maps): title or
synonym, ignoring case, punctuation and any leading number the chair typed. It stores
the section key in ``meta`` and refuses an unknown heading with its line. Rule
``dhr_numbering`` then numbers numbered sections (1, 2 ...) and the top-level paragraphs
inside them (1.1, 1.2 ...), and gives every heading and numbered paragraph a stable id
for links and the contents list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from .errors import MarkdownError, line_of


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    numbered: bool
    synonyms: tuple[str, ...]
    prompt: str = ""  # what the section covers, for a new review's report.md


@dataclass(frozen=True)
class Catalogue:
    sections: tuple[SectionSpec, ...]
    appendix_prefix: str
    protected_characteristics: dict[str, tuple[str, ...]]
    name: str = ""
    # groups of section keys; a group is satisfied by any one of its sections
    essential: tuple[tuple[str, ...], ...] = ()
    # the review's own headings (normalised) -> section key, from case.yaml
    mapped: tuple[tuple[str, str], ...] = ()

    @classmethod
    def load(cls, path: Path) -> Catalogue:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(
            sections=tuple(
                SectionSpec(s["key"], s["title"], s.get("numbered", True),
                            tuple(s.get("synonyms", ())), s.get("prompt", ""))
                for s in data["sections"]
            ),
            appendix_prefix=data["appendix_prefix"],
            protected_characteristics={
                k: tuple(v) for k, v in data["protected_characteristics"].items()
            },
            name=data.get("name", path.stem),
            essential=tuple(tuple(g if isinstance(g, list) else [g])
                            for g in data.get("essential", ())),
        )

    def with_headings(self, mapping: dict[str, str]) -> Catalogue:
        """This catalogue, also accepting a review's own headings for its sections."""
        return replace(self, mapped=tuple((normalise(h), k) for h, k in mapping.items()))

    def spec(self, key: str) -> SectionSpec | None:
        return next((s for s in self.sections if s.key == key), None)

    def match(self, heading: str) -> SectionSpec | None:
        wanted = normalise(heading)
        for mapped, key in self.mapped:
            if mapped == wanted:
                return self.spec(key)
        for spec in self.sections:
            if wanted in {normalise(spec.title), *(normalise(s) for s in spec.synonyms)}:
                return spec
        return None

    def is_appendix(self, heading: str) -> bool:
        return heading.strip().casefold().startswith(self.appendix_prefix.casefold())


_TYPED_NUMBER = re.compile(r"^\s*(section\s+)?\d+(\.\d+)*[.)]?\s+", re.I)


def normalise(text: str) -> str:
    text = text.casefold().replace("&", " and ")
    text = _TYPED_NUMBER.sub("", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def slug(text: str) -> str:
    return "-".join(re.sub(r"[^\w\s-]", "", text.casefold()).split())[:60] or "section"


def sections_plugin(md: MarkdownIt, catalogue: Catalogue) -> None:
    md.core.ruler.push("dhr_sections", lambda state: _classify(state, catalogue))
    md.core.ruler.push("dhr_numbering", _number)
    md.add_render_rule("heading_open", _render_heading_open)
    md.add_render_rule("heading_close", _render_heading_close)
    md.add_render_rule("paragraph_open", _render_paragraph_open)


# The cover carries the document's <h1>, so report headings move down one level.
def _shifted(tag: str) -> str:
    return f"h{int(tag[1]) + 1}"


def _render_heading_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    attrs = self.renderAttrs(token)
    number = token.meta.get("number")
    prefix = f'<span class="section-number">{number}</span> ' if number else ""
    return f"<{_shifted(token.tag)}{attrs}>{prefix}"


def _render_heading_close(self, tokens, idx, options, env) -> str:
    return f"</{_shifted(tokens[idx].tag)}>\n"


def _render_paragraph_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if token.hidden:
        return ""
    number = token.meta.get("number")
    if not number or env.get("plain_paragraphs"):
        return self.renderToken(tokens, idx, options, env)
    return (
        f'<p class="numbered"{self.renderAttrs(token)}>'
        # The separating space sits inside the number's box: outside it, the print
        # layout's fixed-width inline-block would push every first line one space right.
        f'<span class="paragraph-number">{number} </span>'
    )


def _classify(state: StateCore, catalogue: Catalogue) -> None:
    tokens = state.tokens
    seen_heading = False
    for i, token in enumerate(tokens):
        if not seen_heading and token.level == 0 and token.type in (
            "paragraph_open", "bullet_list_open", "ordered_list_open", "table_open",
            "blockquote_open", "dhr_insert", "fence", "code_block",
        ):
            raise MarkdownError(
                line_of(token), "text before the first section heading; start with '# Preface'"
                " or '# Introduction'"
            )
        if token.type != "heading_open":
            continue
        seen_heading = True
        if token.tag != "h1":
            continue
        inline = tokens[i + 1]
        text = inline.content.strip()
        if _TYPED_NUMBER.match(text) and inline.children and inline.children[0].type == "text":
            # The renderer numbers sections; a number the chair typed would print twice.
            inline.children[0].content = _TYPED_NUMBER.sub("", inline.children[0].content)
            text = _TYPED_NUMBER.sub("", text)
        spec = catalogue.match(text)
        if spec is not None:
            token.meta.update(section=spec.key, title=text, numbered=spec.numbered)
        elif catalogue.is_appendix(text):
            token.meta.update(section="appendix", title=text, numbered=False)
        else:
            raise MarkdownError(
                line_of(token),
                f"unknown section heading '{text}'; use a Home Office section title, or map "
                f"it in case.yaml: report: {{sections: {{\"{text}\": <section key>}}}}",
            )


def _number(state: StateCore) -> None:
    section = 0
    paragraph = 0
    numbered = False
    used: set[str] = set()
    depth = 0  # summary blocks are transparent: their paragraphs are the section's own
    for i, token in enumerate(state.tokens):
        if token.type == "container_summary_open":
            depth += 1
        elif token.type == "container_summary_close":
            depth -= 1
        if token.type == "heading_open":
            text = state.tokens[i + 1].content.strip()
            if token.tag == "h1":
                numbered = token.meta["numbered"]
                paragraph = 0
                if numbered:
                    section += 1
                    token.meta["number"] = str(section)
                anchor = slug(text) if token.meta["section"] == "appendix" else token.meta[
                    "section"].replace("_", "-")
            else:
                anchor = f"{section}-{slug(text)}" if numbered else slug(text)
            anchor = _unique(anchor, used)
            token.attrSet("id", anchor)
        elif token.type == "paragraph_open" and token.level == depth and numbered:
            paragraph += 1
            token.meta["number"] = f"{section}.{paragraph}"
            token.attrSet("id", _unique(f"para-{section}-{paragraph}", used))


def _unique(anchor: str, used: set[str]) -> str:
    candidate, n = anchor, 2
    while candidate in used:
        candidate, n = f"{anchor}-{n}", n + 1
    used.add(candidate)
    return candidate
