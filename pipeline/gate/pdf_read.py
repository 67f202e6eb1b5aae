"""What the gate reads in a PDF: every page's text (PDFium), the Info and XMP metadata,
bookmarks, annotations and link targets, form fields and attachments (pypdf).

Takes a PDF's bytes; adds ``Segment``s to an ``Extraction``, and an ``Unreadable`` for an
encrypted or corrupt file. Attachments are read by the caller's ``read_file`` (a zip or
another PDF inside is read like any file in a package).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterator

from pipeline.gate.segments import Extraction, Segment, Unreadable, url_view

MAX_DEPTH = 3  # files inside files

# pypdf logs what it repairs; the gate reports unreadable files itself, once.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def read_pdf(data: bytes, display: str, out: Extraction, depth: int,
             read_file: Callable[..., None]) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            out.unreadable.append(Unreadable(display, "encrypted PDF; the gate cannot read "
                                                      "it, so it cannot vouch for it"))
            return
        pages = list(reader.pages)
        texts = _apart(_page_texts(data))
        for number, page in enumerate(pages, start=1):
            text = texts[number - 1] if number <= len(texts) else ""
            # Re-join words broken at a line end: "Whit-\nfield" was one word, and
            # "Fairweather-\nExample" one hyphenated name.
            text = re.sub(r"(\w)-\n([a-z])", r"\1\2", text)
            text = re.sub(r"(\w)-\n([A-Z])", r"\1-\2", text)
            out.segments.append(Segment(display, text, "PDF page", page=number))
            _annotations(page, number, display, out)
        for key, value in (reader.metadata or {}).items():
            out.segments.append(Segment(display, str(value), f"PDF metadata {key}"))
        xmp = reader.trailer["/Root"].get("/Metadata")
        if xmp is not None:
            raw = xmp.get_object().get_data().decode("utf-8", "replace")
            out.segments.append(Segment(display, re.sub(r"<[^>]+>", " ", raw),
                                        "PDF XMP metadata"))
        for title in _outline_titles(reader.outline):
            out.segments.append(Segment(display, title, "PDF bookmark"))
        for name, field_ in (reader.get_fields() or {}).items():
            values = [name] + [str(field_.get(k, "")) for k in ("/V", "/TU", "/DV")]
            out.segments.append(Segment(display, " | ".join(v for v in values if v),
                                        "PDF form field"))
        for name, contents in reader.attachments.items():
            for content in contents:
                inner = f"{display}!{name}"
                if depth >= MAX_DEPTH:
                    out.unreadable.append(Unreadable(inner, "attachments nested too deep"))
                    continue
                read_file(content, inner, out, depth + 1, package=True)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        out.unreadable.append(Unreadable(display, f"corrupt PDF: {exc}"))


def _page_texts(data: bytes) -> list[str]:
    """Every page's text, all of it (white, tiny or off-page text too), with PDFium: a
    C library, some thirty times faster here than parsing content streams in Python.
    pypdf still reads the structure (metadata, outlines, annotations, attachments)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            # PDFium reports a hyphen it cannot map (a non-breaking one, say) as U+FFFE
            texts.append(text.replace("\ufffe", "-"))
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def _apart(texts: list[str]) -> list[str]:
    """Each page with its running head and foot (a line printed on many pages, its page
    number aside) set apart by blank lines: read on its own, it is the same text on
    every page, not a different run-on of whichever sentence ends the page."""
    if len(texts) < 3:
        return texts
    seen: dict[str, int] = {}
    for text in texts:
        for line in {_DIGITS.sub("#", line.strip()) for line in text.split("\n")}:
            seen[line] = seen.get(line, 0) + 1
    running = {line for line, count in seen.items()
               if line and count >= max(3, len(texts) // 3)}
    if not running:
        return texts
    return ["\n".join(f"\n{line}\n" if _DIGITS.sub("#", line.strip()) in running else line
                      for line in text.split("\n")) for text in texts]


_DIGITS = re.compile(r"\d+")


def _annotations(page, number: int, display: str, out: Extraction) -> None:
    for ref in page.get("/Annots") or []:
        annot = ref.get_object()
        for key in ("/Contents", "/T", "/Subj", "/RC", "/TU", "/NM"):
            if annot.get(key):
                out.segments.append(Segment(display, str(annot[key]),
                                            f"PDF annotation {key}", page=number))
        action = annot.get("/A")
        if action is not None:
            uri = action.get_object().get("/URI")
            if uri:
                out.segments.append(Segment(display, str(uri), "PDF link", page=number))
                url_view(str(uri), display, out, None, number, "PDF link")


def _outline_titles(outline) -> Iterator[str]:
    for item in outline or []:
        if isinstance(item, list):
            yield from _outline_titles(item)
        else:
            yield str(getattr(item, "title", "") or "")
