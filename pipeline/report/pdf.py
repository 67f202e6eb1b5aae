"""The PDF writer: print HTML -> tagged PDF, with WeasyPrint.

Takes the print HTML from ``pipeline.report.render``; produces PDF bytes. Any warning or error
WeasyPrint logs (a missing image, a font it could not load, CSS it ignored) fails the
build instead of scrolling past: a report with a silently dropped part must not ship.
The output is deterministic: dates come from the HTML's dcterms metadata (the case), and
the tag fix-ups (``pipeline.report.pdf_tags``) save with a deterministic identifier.
"""

from __future__ import annotations

import io
import logging
import os
import time
from pathlib import Path

from pipeline.common.errors import DhrError, Problem


class RenderError(DhrError):
    """WeasyPrint reported a problem (exit code 2: the input must change)."""

    exit_code = 2


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render_pdf(html: str, base_url: Path, source: Path, *, variant: str | None = "pdf/ua-1",
               forms: bool = False, error: type[DhrError] | None = None) -> bytes:
    """WeasyPrint, with every warning it logs turned into ``error`` (RenderError) naming
    ``source``. ``forms`` makes HTML inputs fillable fields."""
    import weasyprint  # imported here: a no-op rebuild must not pay for it

    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        out = io.BytesIO()
        options = {"pdf_forms": True} if forms else {}
        if variant:
            options["pdf_variant"] = variant
        start = time.perf_counter()
        weasyprint.HTML(string=html, base_url=str(base_url)).write_pdf(out, **options)
        _record(time.perf_counter() - start)
    finally:
        logger.removeHandler(collect)
    if collect.messages:
        raise (error or RenderError)([
            Problem(source, None, f"WeasyPrint: {message}") for message in collect.messages
        ])
    return out.getvalue()


def _record(seconds: float) -> None:
    """``make bench`` asks every process (the pool's workers too) how long WeasyPrint
    took, through a file named in $DHR_WEASYPRINT_TIMES; nothing is written otherwise."""
    target = os.environ.get("DHR_WEASYPRINT_TIMES")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(f"{seconds:.4f}\n")


def html_to_pdf(html: str, base_url: Path, source: Path) -> bytes:
    """A document of the publication set: tagged PDF/UA-1, then the tag fix-ups."""
    from pipeline.report.pdf_tags import fix_tags

    return fix_tags(render_pdf(html, base_url, source))
