"""Text positions and sizes read back from a PDF with pypdf's text visitor, for the
typesetting tests: each run of text on a page with its left x, its baseline measured from
the top of the page, its font size in points and its font name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader


@dataclass(frozen=True)
class Run:
    page: int  # 1-based
    x: float
    top: float  # baseline, points from the top of the page
    size: float
    font: str
    text: str


def _times(m: list[float], n: list[float]) -> list[float]:
    return [m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
            m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
            m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5]]


def runs(pdf: Path) -> list[Run]:
    """Every non-blank text run of every page, in content-stream order."""
    out: list[Run] = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        height = float(page.mediabox.height)

        def visit(text, cm, tm, font, size, number=number, height=height):
            if not text.strip():
                return
            m = _times(list(tm), list(cm))
            out.append(Run(number, round(m[4], 2), round(height - m[5], 2),
                           round(size * (m[0] ** 2 + m[1] ** 2) ** 0.5, 2),
                           str(font.get("/BaseFont", "")) if font else "", text))

        page.extract_text(visitor_text=visit)
    return out


def page_texts(pdf: Path) -> list[str]:
    """Each page's text with all white space collapsed to single spaces."""
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages]


def page_heights(pdf: Path) -> list[float]:
    return [float(page.mediabox.height) for page in PdfReader(pdf).pages]
