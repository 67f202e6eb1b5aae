"""Rendering the briefing: ``Briefing`` -> HTML (web and print), plain text, the
proforma's HTML, and the PDFs (WeasyPrint, tagged PDF/UA-1) with a page-1 preview PNG.

Takes a composed ``Briefing``; renders ``templates/briefing/``. ``render_outputs`` is the
whole set of files by name; the handout may take a second page, never a third.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from pathlib import Path

from pipeline import __version__
from pipeline.briefing.compose import Briefing, compose
from pipeline.briefing.themes import templates_dir
from pipeline.case.folder import Case
from pipeline.common.errors import Problem
from pipeline.common.templates import fonts, jinja_env

OUTPUTS = ("briefing.pdf", "briefing.html", "briefing.txt", "briefing-action-plan.pdf")
PREVIEW = "briefing-page1.png"



@dataclass
class Rendered:
    web_html: str
    print_html: str
    text: str
    form_html: str


def _jinja():
    return jinja_env(templates_dir())


def render(b: Briefing) -> Rendered:
    from pipeline.common.signposting import support_html

    env = _jinja()
    common = {"b": b, "case": b.case, "marking": b.case.protective_marking,
              "tool_version": __version__}
    pages = {
        media: env.get_template("briefing.html.j2").render(
            media=media, fonts=fonts() if media == "print" else {},
            support=support_html(2), widths=column_weights(b), **common)
        for media in ("web", "print")
    }
    form = env.get_template("action-plan.html.j2").render(fonts=fonts(), **common)
    return Rendered(pages["web"], pages["print"], plain_text(b), form)


def column_weights(b: Briefing) -> dict[int, int]:
    """Each text part's share of its row's width in print, by how much it holds: a list
    item costs about half a line more than running text. Equal columns left a short part
    half empty beside a long one."""
    weights = {}
    for part in b.parts[:-1]:
        items = sum(len(block.items) for block in part.blocks)
        weights[part.number] = max(40, part.words + 6 * items)
    return weights


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
        lines += wrap.wrap(service)
    lines += ["", "Read the full review", "--------------------", *wrap.wrap(b.full_review)]
    return "\n".join(lines).rstrip() + "\n"


# --- PDF --------------------------------------------------------------------------------

def form_pdf(html: str, base_url: Path, source: Path) -> bytes:
    """The fillable proforma: tagged (with the report's tag fix-ups), with form fields;
    any WeasyPrint warning fails."""
    from pipeline.report.pdf import render_pdf
    from pipeline.report.pdf_tags import fix_tags

    return fix_tags(render_pdf(html, base_url, source, forms=True))


def pdf_page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


MAX_PAGES = 2


def render_outputs(case: Case) -> dict[str, bytes]:
    """Every briefing file, by name: the four outputs (and no preview)."""
    from pipeline.report.pdf import RenderError, html_to_pdf
    from pipeline.report.render import parse_report

    briefing = compose(case, parse_report(case).tokens)
    source = case.doc.path
    # One type size: the handout is printed, so its text never shrinks below 11 pt to
    # squeeze onto one page; the layout has two pages (print.css.j2).
    rendered = render(briefing)
    pdf = html_to_pdf(rendered.print_html, case.folder, source)
    pages = pdf_page_count(pdf)
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
