"""The 7-minute briefing: case + report -> a two-page learning handout and its proforma.

Takes a loaded ``Case`` (pseudonymised, when the build had a key) and its parsed report;
produces the briefing's seven parts and renders them from ``templates/briefing/``:

- ``briefing.pdf``: A4 landscape, seven numbered panels around a title hub, tagged
  PDF/UA-1 whose reading order is the document order (title, then parts 1 to 7);
- ``briefing.html`` (one ``<main>``, the same content in the same order) and
  ``briefing.txt``;
- ``briefing-action-plan.pdf``: a one-page fillable form for the team's discussion.

The parts come from the ``briefing:`` section of case.yaml. A part left empty is drafted
from the report (``DRAFT_SOURCES``); ``dhr briefing --draft`` writes the whole text out
for the officer to edit. Every part has a word limit; over it is an InputError naming the
part, its word count and its line in case.yaml. Reflective questions are the review's
own, then questions chosen by its themes (``templates/briefing/themes.yaml``), then the
general ones, 3 to 6 in all. Nothing here reads the clock: the date comes from the case.
"""

from __future__ import annotations

import io
import json
import re
import textwrap
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from markdown_it.token import Token

from pipeline import __version__
from pipeline.case.folder import Case, long_date
from pipeline.case.yamlio import LocatedYaml, load_yaml
from pipeline.common.errors import InputError, Problem
from pipeline.common.templates import fonts, home, jinja_env

PART_KEYS = ("background", "why_it_matters", "what_happened", "what_we_found",
             "good_practice", "what_you_should_do", "questions")
TEXT_PARTS = PART_KEYS[:-1]
OUTPUTS = ("briefing.pdf", "briefing.html", "briefing.txt", "briefing-action-plan.pdf")
PREVIEW = "briefing-page1.png"
DRAFT_FILE = "briefing-draft.yaml"
# Where an empty part is drafted from: a report section (catalogue key), a subheading, or
# the review's themes. Shown in the draft so the officer knows what to check.
DRAFT_SOURCES = {
    "background": "the report's Introduction",
    "why_it_matters": "the review's themes (templates/briefing/themes.yaml)",
    "what_happened": "the report's Conclusions",
    "what_we_found": "the report's Lessons to be Learned",
    "good_practice": "the report's 'Good practice' heading",
    "what_you_should_do": "the report's Recommendations",
}
MIN_ITEM_WORDS = 16  # a drafted list item shorter than this says nothing
WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f][\w'’.\u00c0-\u024f-]*")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")


def templates_dir() -> Path:
    return home() / "templates" / "briefing"


# --- text -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Block:
    """A paragraph (``items`` empty) or a bulleted list."""

    text: str = ""
    items: tuple[str, ...] = ()


def parse_text(text: str | None) -> list[Block]:
    """Paragraphs separated by blank lines; lines starting '- ' are list items. A line
    that follows a list item without a blank line continues it (wrapped YAML)."""
    blocks: list[Block] = []
    para: list[str] = []
    items: list[str] | None = None

    def flush() -> None:
        nonlocal para, items
        if para:
            blocks.append(Block(" ".join(para)))
        if items:
            blocks.append(Block(items=tuple(items)))
        para, items = [], None

    for raw in (text or "").split("\n"):
        line = " ".join(raw.split())
        if not line:
            flush()
        elif line[:2] in ("- ", "* ", "• "):
            if para:
                flush()
            items = (items or []) + [line[2:].strip()]
        elif items is not None:
            items[-1] += " " + line
        else:
            para.append(line)
    flush()
    return blocks


def blocks_text(blocks: list[Block]) -> str:
    out = []
    for block in blocks:
        out.append("\n".join(f"- {item}" for item in block.items) if block.items else block.text)
    return "\n\n".join(out)


def count_words(text: str) -> int:
    return len(WORD.findall(text))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


# --- settings and themes --------------------------------------------------------------

@dataclass(frozen=True)
class Theme:
    key: str
    title: str
    keywords: tuple[str, ...]
    why_it_matters: str
    questions: tuple[str, ...]

    @property
    def pattern(self) -> re.Pattern:
        alternatives = "|".join(
            r"\s+".join(re.escape(w) for w in k.split()) for k in
            sorted(self.keywords, key=len, reverse=True))
        return re.compile(rf"(?<![\w-])(?:{alternatives})(?:s|es)?(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Library:
    themes: tuple[Theme, ...]
    general: tuple[str, ...]
    min_matches: int

    def get(self, key: str) -> Theme | None:
        return next((t for t in self.themes if t.key == key), None)


@cache
def settings() -> dict:
    doc = load_yaml(templates_dir() / "settings.yaml")
    data = doc.data
    missing = [k for k in PART_KEYS if k not in data.get("labels", {})]
    if missing:
        raise doc.error(("labels",), f"labels for {', '.join(missing)} are missing")
    return data


@cache
def library() -> Library:
    doc = load_yaml(templates_dir() / "themes.yaml")
    themes = []
    for i, raw in enumerate(doc.data.get("themes", [])):
        try:
            themes.append(Theme(raw["key"], raw["title"], tuple(raw["keywords"]),
                                " ".join(raw["why_it_matters"].split()),
                                tuple(raw["questions"])))
        except (KeyError, TypeError, AttributeError):
            raise doc.error(("themes", i), "a theme needs key, title, keywords, "
                            "why_it_matters and questions") from None
    return Library(tuple(themes), tuple(doc.data.get("general", ())),
                   int(doc.data.get("min_matches", 3)))


def detect_themes(report_text: str, lib: Library | None = None) -> list[tuple[Theme, int]]:
    """Themes whose keywords occur at least ``min_matches`` times, most matches first."""
    lib = lib or library()
    found = [(t, len(t.pattern.findall(report_text))) for t in lib.themes]
    found = [(t, n) for t, n in found if n >= lib.min_matches]
    return sorted(found, key=lambda tn: -tn[1])  # stable: library order breaks ties


# --- the report, read for drafting ------------------------------------------------------

@dataclass
class ReportText:
    """Plain text of the report by section: paragraphs, list items and subheadings."""

    blocks: dict[str, list[tuple[str, str, str | None]]] = field(default_factory=dict)
    # section key -> [(kind: 'p' | 'li' | 'h', text, current subheading)]

    def all_text(self) -> str:
        return "\n".join(text for key, rows in self.blocks.items() if key != "appendix"
                         for _, text, _ in rows)


def plain(inline: Token) -> str:
    out = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", "dhr_pseudonym"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return " ".join("".join(out).split())


def report_text(tokens: list[Token]) -> ReportText:
    result = ReportText()
    section: str | None = None
    sub: str | None = None
    lists = 0
    for i, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            break
        if token.type == "heading_open":
            title = plain(tokens[i + 1])
            if token.tag == "h1":
                section, sub = token.meta.get("section"), None
                result.blocks.setdefault(section, [])
            elif section is not None:
                sub = title
                result.blocks[section].append(("h", title, sub))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists -= 1
        elif token.type == "paragraph_open" and section is not None:
            text = plain(tokens[i + 1])
            if text:
                result.blocks[section].append(("li" if lists == 1 else "p" if not lists
                                               else "li2", text, sub))
    return result


def _fit_sentences(paragraphs: list[str], limit: int) -> str:
    """Whole sentences from the start, while they fit; paragraphs kept."""
    kept: list[str] = []
    used = 0
    for para in paragraphs:
        current: list[str] = []
        for sentence in sentences(para):
            n = count_words(sentence)
            if used + n > limit:
                break
            current.append(sentence)
            used += n
        else:
            kept.append(" ".join(current))
            continue
        if current:
            kept.append(" ".join(current))
        break
    return "\n\n".join(kept)


def _shorten(item: str, n: int) -> str:
    if count_words(item) <= n:
        return item
    first = sentences(item)[0]
    if count_words(first) <= n:
        return first
    words = item.split()
    cut = words[:n]
    while count_words(" ".join(cut)) > n:
        cut.pop()
    for j in range(len(cut) - 1, int(len(cut) * 0.6), -1):
        if cut[j].endswith((",", ";", ":")):
            cut = cut[:j + 1]
            break
    return " ".join(cut).rstrip(",;:") + "…"


def _item(text: str) -> str:
    """A list item from a report list: capital first letter, no trailing ';' or 'and'."""
    text = re.sub(r"(?:[;,]|;? and| or)$", "", text.strip()).strip()
    return text[:1].upper() + text[1:]


def _fit_items(items: list[str], limit: int) -> str:
    """A bulleted list: every item if they fit, else each shortened to a fair share."""
    items = [_item(i) for i in items]
    if sum(count_words(i) for i in items) > limit:
        share = max(MIN_ITEM_WORDS, limit // max(len(items), 1))
        items = [_shorten(i, share) for i in items]
    kept: list[str] = []
    used = 0
    for item in items:
        n = count_words(item)
        if used + n > limit:
            if not kept:  # one long item: its opening words are still a start
                kept.append(_shorten(item, limit))
            break
        kept.append(item)
        used += n
    return "\n".join(f"- {i}" for i in kept)


def draft_part(key: str, text: ReportText, themes: list[Theme], limit: int) -> str:
    """Draft one part from the report (or the themes); '' when there is nothing to use."""
    def rows(section: str, kinds: tuple[str, ...]) -> list[str]:
        return [t for kind, t, _ in text.blocks.get(section, []) if kind in kinds]

    if key == "background":
        return _fit_sentences(rows("introduction", ("p",)), limit)
    if key == "what_happened":
        return _fit_sentences(rows("conclusions", ("p",)), limit)
    if key == "why_it_matters":
        return _fit_sentences([" ".join(t.why_it_matters for t in themes)], limit)
    if key == "what_we_found":
        headings = rows("lessons", ("h",))
        if headings:
            return _fit_items(headings, limit)
        return _fit_items([sentences(p)[0] for p in rows("lessons", ("p",))], limit)
    if key == "good_practice":
        for blocks in text.blocks.values():
            found = [(kind, t) for kind, t, sub in blocks
                     if sub and "good practice" in sub.casefold() and kind != "h"]
            if not found:
                continue
            items = [t for kind, t in found if kind == "li"]
            if items:
                return _fit_items(items, limit)
            return _fit_sentences([t for _, t in found], limit)
        return ""
    if key == "what_you_should_do":
        return _fit_items(rows("recommendations", ("li",)), limit)
    raise ValueError(key)


# --- the briefing -----------------------------------------------------------------------

@dataclass
class Part:
    number: int
    key: str
    label: str
    blocks: list[Block]
    words: int
    line: int | None
    drafted: bool = False  # drafted from the report, not written in case.yaml


@dataclass
class Briefing:
    case: Case
    parts: list[Part]
    questions: list[str]
    own_questions: int
    themes: list[Theme]
    themes_detected: bool
    date: str
    date_iso: str
    year: int
    word_limit: int
    full_review: str
    support: list[dict]
    emergency: str
    how_to_use: str

    @property
    def review_label(self) -> str:
        return f"{self.case.review_name}: {self.case.victim} ({self.year})"

    @property
    def title(self) -> str:
        return f"7-minute briefing: {self.review_label}"

    @property
    def partnership(self) -> str:
        return " and ".join(self.case.partnerships)


def section_data(case: Case) -> tuple[LocatedYaml, dict]:
    return case.doc, case.doc.data.get("briefing") or {}


def compose(case: Case, tokens: list[Token], strict: bool = True) -> Briefing:
    """The briefing's content: case.yaml's parts, empty ones drafted; limits checked.

    ``strict=False`` (the draft for editing) lets a part run over its word limit or stay
    empty: the officer is about to edit it. Every other problem still stops it."""
    doc, data = section_data(case)
    conf = settings()
    lib = library()
    problems: list[Problem] = []
    soft: list[Problem] = []  # a draft is still written: over a limit, or empty
    text = report_text(tokens)

    limit = int(data.get("word_limit", conf["word_limit"]))
    labels = {**conf["labels"], **data.get("labels", {})}

    themes: list[Theme] = []
    for i, key in enumerate(data.get("themes", [])):
        theme = lib.get(key)
        if theme is None:
            problems.append(Problem(doc.path, doc.line(("briefing", "themes", i)),
                                    f"unknown theme '{key}' in 'briefing.themes'; known "
                                    f"themes: {', '.join(t.key for t in lib.themes)}"))
        else:
            themes.append(theme)
    detected = "themes" not in data
    if detected:
        themes = [t for t, _ in detect_themes(text.all_text(), lib)]

    parts: list[Part] = []
    for number, key in enumerate(TEXT_PARTS, start=1):
        given = data.get(key)
        drafted = not (given or "").strip()
        body = draft_part(key, text, themes, limit) if drafted else given
        blocks = parse_text(body)
        words = count_words(blocks_text(blocks))
        line = doc.line(("briefing", key)) if "briefing" in doc.data else doc.line(())
        label = labels[key]
        if not blocks:
            soft.append(Problem(doc.path, line,
                                f"briefing part {number} '{label}' is empty and could not be "
                                f"drafted from {DRAFT_SOURCES[key]}; write it as "
                                f"'briefing.{key}' in case.yaml"))
        elif words > limit:
            soft.append(Problem(doc.path, line,
                                    f"briefing part {number} '{label}' has {words} words; the "
                                    f"limit is {limit}. Shorten it"
                                    + (" (it was drafted from the report: write your own in "
                                       f"'briefing.{key}')" if drafted else "")))
        parts.append(Part(number, key, label, blocks, words, line, drafted))

    own = [" ".join(q.split()) for q in data.get("questions", [])]
    questions, q_problems = choose_questions(own, themes, lib, limit, conf["questions"])
    q_line = doc.line(("briefing", "questions")) if "briefing" in doc.data else doc.line(())
    q_label = labels["questions"]
    for message in q_problems:
        (soft if "limit is" in message else problems).append(
            Problem(doc.path, q_line, f"briefing part 7 '{q_label}' {message}"))
    parts.append(Part(7, "questions", q_label, [Block(items=tuple(questions))],
                      sum(count_words(q) for q in questions), q_line))
    if strict:
        problems += soft
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.line or 0))

    publication = case.dates.get("publication")
    if data.get("date"):
        import datetime as dt

        try:
            when = dt.date.fromisoformat(data["date"])
        except ValueError:
            raise doc.error(("briefing", "date"),
                            f"'{data['date']}' is not a real date (YYYY-MM-DD)") from None
    else:
        when = publication if publication else case.date
    death = case.dates["death"]
    review = f"{case.review_name} into the death of {case.victim}"
    full = data.get("full_review") or conf["full_review"].format(
        review=review, partnerships=" and ".join(case.partnerships))
    return Briefing(
        case=case, parts=parts, questions=questions, own_questions=len(own), themes=themes,
        themes_detected=detected, date=long_date(when), date_iso=when.isoformat(),
        year=death.year, word_limit=limit, full_review=" ".join(full.split()),
        support=list(conf.get("support", [])), emergency=conf.get("emergency", ""),
        how_to_use=" ".join(conf.get("how_to_use", "").split()),
    )


def choose_questions(own: list[str], themes: list[Theme], lib: Library, limit: int,
                     bounds: dict) -> tuple[list[str], list[str]]:
    """The review's own questions, then one from each theme in turn, then the general
    ones, while there are fewer than the maximum and they fit the word limit."""
    low, high = int(bounds["min"]), int(bounds["max"])
    words = sum(count_words(q) for q in own)
    if len(own) > high:
        return own, [f"has {len(own)} questions of the review's own; the most is {high}"]
    if words > limit:
        return own, [f"has {words} words; the limit is {limit}. Shorten the questions"]
    chosen = list(own)
    seen = {q.casefold() for q in chosen}
    rounds = max((len(t.questions) for t in themes), default=0)
    candidates = [t.questions[r] for r in range(rounds) for t in themes
                  if r < len(t.questions)] + list(lib.general)
    for question in candidates:
        n = count_words(question)
        if len(chosen) >= high:
            break
        if question.casefold() in seen or words + n > limit:
            continue
        chosen.append(question)
        seen.add(question.casefold())
        words += n
    if len(chosen) < low:
        return chosen, [f"has {len(chosen)} questions within the {limit}-word limit; it needs "
                        f"at least {low}. Add your own as 'briefing.questions', or shorten them"]
    return chosen, []


# --- rendering --------------------------------------------------------------------------

@dataclass
class Rendered:
    web_html: str
    print_html: str
    text: str
    form_html: str


def _jinja():
    return jinja_env(templates_dir())


def render(b: Briefing, fit: int = 0) -> Rendered:
    """``fit``: 0 for the house size; 1, 2 ... smaller type (print only, see FITS)."""
    env = _jinja()
    common = {"b": b, "case": b.case, "marking": b.case.protective_marking,
              "tool_version": __version__}
    pages = {
        media: env.get_template("briefing.html.j2").render(
            media=media, fonts=fonts() if media == "print" else {},
            fit=fit if media == "print" else 0, **common)
        for media in ("web", "print")
    }
    form = env.get_template("action-plan.html.j2").render(fonts=fonts(), **common)
    return Rendered(pages["web"], pages["print"], plain_text(b), form)


def plain_text(b: Briefing, width: int = 78) -> str:
    wrap = textwrap.TextWrapper(width=width, break_long_words=False, break_on_hyphens=False)
    bullet = textwrap.TextWrapper(width=width, initial_indent="- ", subsequent_indent="  ",
                                  break_long_words=False, break_on_hyphens=False)
    lines: list[str] = []
    marking = b.case.protective_marking
    if marking:
        lines += [marking, ""]
    lines += ["7-MINUTE BRIEFING", b.review_label, b.partnership, b.date, ""]
    lines += [*wrap.wrap(b.how_to_use), ""]
    for part in b.parts:
        heading = f"{part.number}. {part.label}"
        lines += [heading, "-" * len(heading)]
        for block in part.blocks:
            if block.items:
                for item in block.items:
                    lines += bullet.wrap(item)
            else:
                lines += wrap.wrap(block.text)
            lines.append("")
    lines += ["Support", "-------"]
    for service in b.support:
        lines += wrap.wrap(f"{service['name']}: {service['phone']} ({service['note']})")
    if b.emergency:
        lines += wrap.wrap(b.emergency)
    lines += ["", "Read the full review", "--------------------", *wrap.wrap(b.full_review)]
    return "\n".join(lines).rstrip() + "\n"


# --- PDF --------------------------------------------------------------------------------

def form_pdf(html: str, base_url: Path, source: Path) -> bytes:
    """The fillable proforma: tagged, with form fields; any WeasyPrint warning fails."""
    from pipeline.report.pdf import render_pdf

    return render_pdf(html, base_url, source, forms=True)


def pdf_page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


# --- the draft for editing ----------------------------------------------------------------

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


# --- the stage's outputs ----------------------------------------------------------------

MAX_PAGES = 2
FITS = 4  # type sizes tried (print.css.j2: html.fit-N), until the handout is one page


def render_outputs(case: Case) -> dict[str, bytes]:
    """Every briefing file, by name: the four outputs (and no preview)."""
    from pipeline.report.pdf import RenderError, html_to_pdf
    from pipeline.report.render import parse_report

    briefing = compose(case, parse_report(case).tokens)
    source = case.doc.path
    for fit in range(FITS):  # full panels: a smaller type size before a second page
        rendered = render(briefing, fit)
        pdf = html_to_pdf(rendered.print_html, case.folder, source)
        pages = pdf_page_count(pdf)
        if pages == 1:
            break
    if pages > MAX_PAGES:
        raise RenderError(Problem(source, case.doc.line(("briefing",)),
                                  f"the briefing runs to {pages} pages; the most is "
                                  f"{MAX_PAGES}. Shorten the parts or the word limit"))
    return {
        "briefing.pdf": pdf,
        "briefing.html": rendered.web_html.encode("utf-8"),
        "briefing.txt": rendered.text.encode("utf-8"),
        "briefing-action-plan.pdf": form_pdf(rendered.form_html, case.folder, source),
    }


def preview_png(pdf: bytes) -> bytes | None:
    """Page 1 as a PNG at 60 dpi (poppler's pdftoppm), for people to look at; None when
    pdftoppm is not installed (the preview is not a publication output)."""
    import shutil
    import subprocess
    import tempfile

    tool = shutil.which("pdftoppm")
    if tool is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "briefing.pdf"
        src.write_bytes(pdf)
        subprocess.run([tool, "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile",
                        str(src), str(Path(tmp) / "page")], check=True, capture_output=True)
        return (Path(tmp) / "page.png").read_bytes()


def write_draft(case: Case, out_dir: Path) -> tuple[Path, Briefing]:
    """``dhr briefing --draft``: build/<id>/briefing-draft.yaml, never over case.yaml."""
    from pipeline.common.fsutil import write_atomic
    from pipeline.report.render import parse_report

    briefing = compose(case, parse_report(case).tokens, strict=False)
    path = out_dir / DRAFT_FILE
    write_atomic(path, draft_yaml(briefing))
    return path, briefing
